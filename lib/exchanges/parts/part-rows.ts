import "server-only";
import { z } from "zod";
import type { Queryable } from "../../db";

export const UploadPartRowSchema = z.object({
  exchange_id: z.string(),
  part_number: z.number().int().positive(),
  blob_key: z.string(),
  plaintext_bytes: z.number().int().nonnegative(),
  plaintext_sha256: z.string(),
  ciphertext_bytes: z.number().int().nonnegative(),
  ciphertext_sha256: z.string(),
  kms_request_id: z.string().nullable(),
  stored_at: z.date(),
});
export type UploadPartRow = z.output<typeof UploadPartRowSchema>;

export function partsOf(db: Queryable, exchangeId: string): Promise<UploadPartRow[]> {
  return db.queryRows(UploadPartRowSchema, "SELECT * FROM upload_parts WHERE exchange_id = $1 ORDER BY part_number", [exchangeId]);
}

export async function partBlobKeysOf(db: Queryable, exchangeId: string): Promise<string[]> {
  return (await db.query<{ blob_key: string }>("SELECT blob_key FROM upload_parts WHERE exchange_id = $1", [exchangeId])).map((row) => row.blob_key);
}
