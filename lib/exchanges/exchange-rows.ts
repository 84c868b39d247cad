import "server-only";
import type { Queryable } from "../db";

export interface ExchangeRow {
  id: string;
  sender_org: string;
  sender_user_id: string | null;
  sender_display_name: string;
  recipient_org: string;
  status: "uploading" | "receiving" | "available";
  metadata_ciphertext: Uint8Array;
  declared_size: number;
  size: number | null;
  sha256: string | null;
  blob_key: string | null;
  /** Null for exchanges stored before ciphertext digests were recorded. */
  ciphertext_sha256: string | null;
  ciphertext_size: number | null;
  /** Set for parted uploads: plaintext bytes per part, and how many parts. */
  part_bytes: number | null;
  part_count: number | null;
  /** "single-message": stored before every upload was parted; its one part is that message and it has no manifest. */
  content_format: "parts" | "single-message";
  /** Null: every member of the recipient organization may download; else only these people. */
  recipient_user_ids: string[] | null;
  max_downloads: number | null;
  completed_downloads: number;
  downloads_in_flight: number;
  created_at: Date;
  completed_at: Date | null;
  [key: string]: unknown;
}

export async function findExchange(db: Queryable, id: string): Promise<ExchangeRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const [row] = await db.query<ExchangeRow>("SELECT * FROM exchanges WHERE id = $1", [id]);
  return row;
}

export function accessTargetOf(row: ExchangeRow) {
  return { senderOrg: row.sender_org, senderUserId: row.sender_user_id, recipientOrg: row.recipient_org, recipientUserIds: row.recipient_user_ids, status: row.status };
}

export function partiesOf(row: ExchangeRow) {
  return { id: row.id, senderOrg: row.sender_org, recipientOrg: row.recipient_org };
}
