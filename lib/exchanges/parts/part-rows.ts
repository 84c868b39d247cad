import "server-only";
import type { Queryable } from "../../db";

export interface UploadPartRow {
  exchange_id: string;
  part_number: number;
  blob_key: string;
  plaintext_bytes: number;
  plaintext_sha256: string;
  ciphertext_bytes: number;
  ciphertext_sha256: string;
  kms_request_id: string | null;
  stored_at: Date;
  [key: string]: unknown;
}

export function partsOf(db: Queryable, exchangeId: string): Promise<UploadPartRow[]> {
  return db.query<UploadPartRow>("SELECT * FROM upload_parts WHERE exchange_id = $1 ORDER BY part_number", [exchangeId]);
}

export async function partBlobKeysOf(db: Queryable, exchangeId: string): Promise<string[]> {
  return (await db.query<{ blob_key: string }>("SELECT blob_key FROM upload_parts WHERE exchange_id = $1", [exchangeId])).map((row) => row.blob_key);
}
