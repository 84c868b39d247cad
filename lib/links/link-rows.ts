import "server-only";
import { z } from "zod";
import type { Queryable } from "../db";
import type { LinkState } from "./link-access-policy";
import { hashLinkToken, isWellFormedToken, tokenMatches } from "./link-token";

export const LinkRowSchema = z.object({
  id: z.string(),
  exchange_id: z.string(),
  token_hash: z.instanceof(Uint8Array),
  created_by: z.string().nullable(),
  created_at: z.date(),
  expires_at: z.date(),
  max_downloads: z.number().int().nonnegative().nullable(),
  completed_downloads: z.number().int().nonnegative(),
  in_flight: z.number().int().nonnegative(),
  whole_org: z.boolean(),
  note_ciphertext: z.instanceof(Uint8Array).nullable(),
  revoked_at: z.date().nullable(),
  recipient_org: z.string(),
  sender_org: z.string(),
  named_recipient_ids: z.array(z.string()),
});
export type LinkRow = z.output<typeof LinkRowSchema>;

const SELECT_LINK = `
  SELECT l.*, e.recipient_org, e.sender_org,
         coalesce((SELECT array_agg(r.user_id::text) FROM share_link_recipients r WHERE r.link_id = l.id), '{}') AS named_recipient_ids
    FROM share_links l JOIN exchanges e ON e.id = l.exchange_id`;

/** The link a token opens, or undefined; looked up by hash, then compared in constant time. */
export async function findLinkByToken(db: Queryable, token: string): Promise<LinkRow | undefined> {
  if (!isWellFormedToken(token)) return undefined;
  const [row] = await db.queryRows(LinkRowSchema, `${SELECT_LINK} WHERE l.token_hash = $1`, [hashLinkToken(token)]);
  return row && tokenMatches(token, row.token_hash) ? row : undefined;
}

export async function findLinkById(db: Queryable, id: string): Promise<LinkRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const [row] = await db.queryRows(LinkRowSchema, `${SELECT_LINK} WHERE l.id = $1`, [id]);
  return row;
}

export async function linksOfExchange(db: Queryable, exchangeId: string): Promise<LinkRow[]> {
  return db.queryRows(LinkRowSchema, `${SELECT_LINK} WHERE l.exchange_id = $1 ORDER BY l.created_at DESC`, [exchangeId]);
}

export function linkStateOf(row: LinkRow): LinkState {
  return {
    recipientOrg: row.recipient_org,
    wholeOrg: row.whole_org,
    namedRecipientIds: row.named_recipient_ids,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    maxDownloads: row.max_downloads,
    completedDownloads: row.completed_downloads,
  };
}
