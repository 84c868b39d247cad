import "server-only";
import type { Actor } from "../auth";
import { getDatabase } from "../db";
import { findExchange } from "../exchanges/exchange-rows";
import { mayManageLinks } from "./link-access-policy";

export interface RecipientChoice {
  id: string;
  displayName: string;
  email: string;
}

/**
 * The people a link can be limited to: those the exchange is addressed to (a link narrows, never widens), and of
 * them only those who may download (not auditors).
 */
export async function recipientChoices(actor: Actor, exchangeId: string): Promise<RecipientChoice[]> {
  const db = await getDatabase();
  const exchange = await findExchange(db, exchangeId);
  if (!exchange || !mayManageLinks(actor, { senderOrg: exchange.sender_org, status: exchange.status }, "create")) return [];
  return db.query<RecipientChoice>(
    `SELECT id, display_name AS "displayName", email FROM users
      WHERE org_slug = $1 AND role <> 'auditor' AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[])) ORDER BY display_name`,
    [exchange.recipient_org, exchange.recipient_user_ids],
  );
}

/** The people of an organization who may download (not auditors): whom a sender can address a transfer to. */
export async function peopleWhoMayDownload(orgSlug: string): Promise<RecipientChoice[]> {
  const db = await getDatabase();
  return db.query<RecipientChoice>(
    "SELECT id, display_name AS \"displayName\", email FROM users WHERE org_slug = $1 AND role <> 'auditor' ORDER BY display_name",
    [orgSlug],
  );
}
