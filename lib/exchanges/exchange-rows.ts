import "server-only";
import { z } from "zod";
import type { Queryable } from "../db";

const count = z.number().int().nonnegative();
const bytes = z.instanceof(Uint8Array);

export const ExchangeRowSchema = z.object({
  id: z.string(),
  sender_org: z.string(),
  sender_user_id: z.string().nullable(),
  sender_display_name: z.string(),
  recipient_org: z.string(),
  status: z.enum(["uploading", "receiving", "available"]),
  metadata_ciphertext: bytes,
  declared_size: count,
  size: count.nullable(),
  sha256: z.string().nullable(),
  blob_key: z.string().nullable(),
  /** Null for exchanges stored before ciphertext digests were recorded. */
  ciphertext_sha256: z.string().nullable(),
  ciphertext_size: count.nullable(),
  /** Set for parted uploads: plaintext bytes per part, and how many parts. */
  part_bytes: count.nullable(),
  part_count: count.nullable(),
  /** "single-message": stored before every upload was parted; its one part is that message and it has no manifest. */
  content_format: z.enum(["parts", "single-message"]),
  /** Null: every member of the recipient organization may download; else only these people. */
  recipient_user_ids: z.array(z.string()).nullable(),
  max_downloads: count.nullable(),
  completed_downloads: count,
  downloads_in_flight: count,
  created_at: z.date(),
  completed_at: z.date().nullable(),
});
export type ExchangeRow = z.output<typeof ExchangeRowSchema>;

export async function findExchange(db: Queryable, id: string): Promise<ExchangeRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const [row] = await db.queryRows(ExchangeRowSchema, "SELECT * FROM exchanges WHERE id = $1", [id]);
  return row;
}

export function accessTargetOf(row: ExchangeRow) {
  return { senderOrg: row.sender_org, senderUserId: row.sender_user_id, recipientOrg: row.recipient_org, recipientUserIds: row.recipient_user_ids, status: row.status };
}

export function partiesOf(row: ExchangeRow) {
  return { id: row.id, senderOrg: row.sender_org, recipientOrg: row.recipient_org };
}
