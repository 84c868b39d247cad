import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { recordAuditEvent } from "../audit";
import { type Actor } from "../auth";
import { getDatabase } from "../db";
import { AppError } from "../errors/app-error";
import { kmsSessionFor, requestIdsOf } from "../exchanges/acting-role";
import { findExchange, partiesOf } from "../exchanges/exchange-rows";
import { mayManageLinks } from "./link-access-policy";
import { sealLinkNote } from "./link-note";
import { hashLinkToken, newLinkToken } from "./link-token";
import { personEvent } from "../exchanges/person-event";

const LINK_DEFAULT_DAYS = 7;
const LINK_MAX_DAYS = 90;

export const CreateLinkSchema = z.object({
  exchangeId: z.uuid(),
  expiresInDays: z.coerce.number().int().min(1).max(LINK_MAX_DAYS).default(LINK_DEFAULT_DAYS),
  maxDownloads: z.coerce.number().int().min(1).max(10_000).optional(),
  /** Empty: everyone at the recipient organization. */
  recipientUserIds: z.array(z.uuid()).max(200).default([]),
  note: z.string().trim().max(1000).default(""),
});

/** The token exists only in this result: it is shown once to the sender and stored only as a hash. */
export interface CreatedLink {
  linkId: string;
  token: string;
  expiresAt: string;
}

export async function createLink(actor: Actor, raw: unknown): Promise<CreatedLink> {
  const parsed = CreateLinkSchema.safeParse(raw);
  if (!parsed.success) throw new AppError("invalid_input", parsed.error.message);
  const input = parsed.data;
  const db = await getDatabase();
  const exchange = await findExchange(db, input.exchangeId);
  if (!exchange || !mayManageLinks(actor, { senderOrg: exchange.sender_org, status: exchange.status }, "create")) throw new AppError("not_found", "no exchange to link");

  const recipientIds = [...new Set(input.recipientUserIds)];
  if (recipientIds.length > 0) {
    const members = await db.query<{ id: string }>("SELECT id FROM users WHERE id = ANY($1::uuid[]) AND org_slug = $2", [recipientIds, exchange.recipient_org]);
    if (members.length !== recipientIds.length) throw new AppError("invalid_input", "a chosen recipient is not in the recipient organization");
  }
  // A link narrows the exchange's audience, never widens it: on an exchange for named people, a link for "everyone"
  // means those people, and naming anyone else is refused.
  const audience = exchange.recipient_user_ids;
  if (audience && recipientIds.some((id) => !audience.includes(id)))
    throw new AppError("invalid_input", "a chosen recipient is not among the exchange's recipients", "A link can only be for people this file was sent to.");
  const linkRecipients = recipientIds.length === 0 && audience ? audience : recipientIds;

  const linkId = randomUUID();
  const token = newLinkToken();
  const expiresAt = new Date(Date.now() + input.expiresInDays * 24 * 3600 * 1000);
  let noteCiphertext: Buffer | null = null;
  let awsRequestIds: Array<string | undefined> = [];
  if (input.note) {
    const session = await kmsSessionFor(actor);
    noteCiphertext = await sealLinkNote(session, partiesOf(exchange), linkId, input.note);
    awsRequestIds = requestIdsOf(session);
  }

  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO share_links (id, exchange_id, token_hash, created_by, expires_at, max_downloads, whole_org, note_ciphertext)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [linkId, exchange.id, hashLinkToken(token), actor.userId, expiresAt, input.maxDownloads ?? null, linkRecipients.length === 0, noteCiphertext],
    );
    for (const userId of linkRecipients) await tx.query("INSERT INTO share_link_recipients (link_id, user_id) VALUES ($1, $2)", [linkId, userId]);
    await recordAuditEvent(
      tx,
      personEvent(actor, "link.created", { type: "link", id: linkId }, [exchange.sender_org, exchange.recipient_org], {
        requestIds: awsRequestIds,
        details: { exchangeId: exchange.id, expiresInDays: input.expiresInDays, maxDownloads: input.maxDownloads ?? null, namedRecipients: linkRecipients.length, note: Boolean(input.note) },
      }),
    );
  });
  return { linkId, token, expiresAt: expiresAt.toISOString() };
}
