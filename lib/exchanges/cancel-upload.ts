import "server-only";
import { recordAuditEvent } from "../audit";
import { auditActorOf, auditClientOf, type Actor } from "../auth";
import { getDatabase } from "../db";
import { AppError } from "../errors/app-error";
import { decideExchangeAccess } from "./access-policy";
import { accessTargetOf, findExchange } from "./exchange-rows";

/** Discards an upload that has not started sending content. */
export async function cancelUpload(actor: Actor, exchangeId: string): Promise<void> {
  const db = await getDatabase();
  const row = await findExchange(db, exchangeId);
  if (!row) throw new AppError("not_found", "no such exchange");
  const decision = decideExchangeAccess({ userId: actor.userId, orgSlug: actor.orgSlug, role: actor.role, hasFreshMfa: false }, "cancel", accessTargetOf(row));
  if (!decision.allowed) throw new AppError(decision.code, decision.reason);
  await db.transaction(async (tx) => {
    const deleted = await tx.query("DELETE FROM exchanges WHERE id = $1 AND status = 'uploading' RETURNING id", [exchangeId]);
    if (deleted.length === 0) throw new AppError("upload_state", "no longer waiting for content");
    await recordAuditEvent(tx, {
      action: "upload.cancelled",
      outcome: "success",
      actor: auditActorOf(actor),
      client: auditClientOf(actor),
      target: { type: "exchange", id: exchangeId },
      partyOrgs: [row.sender_org, row.recipient_org],
    });
  });
}
