import "server-only";
import { recordAuditEvent, type AuditAction } from "../audit";
import type { Actor } from "../auth";
import type { KmsSession } from "../aws";
import { getDatabase } from "../db";
import { isAppError } from "../errors/app-error";
import { personEvent } from "./person-event";

/** Records a refusal or failure in its own transaction; the reason is the error's code, never its message. */
export async function auditFailure(
  actor: Actor,
  action: AuditAction,
  error: unknown,
  context: { exchangeId?: string; partyOrgs?: string[]; session?: KmsSession; details?: Record<string, string | number | boolean | null> },
): Promise<void> {
  const code = isAppError(error) ? error.code : "internal";
  const denied = isAppError(error) && error.status >= 400 && error.status < 500 && code !== "upload_incomplete";
  const db = await getDatabase();
  await db.transaction((tx) =>
    recordAuditEvent(
      tx,
      personEvent(actor, action, context.exchangeId ? { type: "exchange", id: context.exchangeId } : undefined, context.partyOrgs, {
        outcome: denied ? "denied" : "failed",
        reason: code,
        session: context.session,
        details: context.details,
      }),
    ),
  );
}
