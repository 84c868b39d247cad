import "server-only";
import { z } from "zod";
import { recordAuditEvent } from "../audit";
import { type Actor } from "../auth";
import { getDatabase } from "../db";
import { AppError } from "../errors/app-error";
import { mayManageLinks } from "./link-access-policy";
import { findLinkById } from "./link-rows";
import { personEvent } from "../exchanges/person-event";

export const RevokeLinkSchema = z.object({ exchangeId: z.uuid(), linkId: z.uuid() });

/**
 * Revokes at once: every later request, and every download already queued (each checks again right before its first
 * byte), sees the link as revoked. Revoking twice is harmless.
 */
export async function revokeLink(actor: Actor, raw: z.input<typeof RevokeLinkSchema>): Promise<void> {
  const parsed = RevokeLinkSchema.safeParse(raw);
  if (!parsed.success) throw new AppError("invalid_input", parsed.error.message);
  const db = await getDatabase();
  const link = await findLinkById(db, parsed.data.linkId);
  // The exchange named in the request must be the link's own: a link id is never enough on its own.
  if (!link || link.exchange_id !== parsed.data.exchangeId) throw new AppError("not_found", "no such link on this exchange");
  const [exchange] = await db.query<{ status: string }>("SELECT status FROM exchanges WHERE id = $1", [link.exchange_id]);
  if (!exchange || !mayManageLinks(actor, { senderOrg: link.sender_org, status: exchange.status }, "revoke")) throw new AppError("not_found", "not the sender's link");
  await db.transaction(async (tx) => {
    const revoked = await tx.query("UPDATE share_links SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id", [link.id]);
    if (revoked.length === 0) return;
    await recordAuditEvent(tx, personEvent(actor, "link.revoked", { type: "link", id: link.id }, [link.sender_org, link.recipient_org], { details: { exchangeId: link.exchange_id } }));
  });
}
