import "server-only";
import { z } from "zod";
import { recordAuditEvent } from "../audit";
import { getDatabase } from "../db";
import { auditActorOf, auditClientOf, type Actor } from "./actor";
import { openSecret } from "./secret-box";
import { matchTotpStep } from "./totp";

export const VerifyMfaSchema = z.object({ code: z.string().trim().regex(/^\d{6}$/, "enter the 6-digit code from your authenticator app") });

export type VerifyMfaOutcome = { ok: true; verifiedAt: Date } | { ok: false; error: "mfa_not_enrolled" | "mfa_invalid" };

/**
 * Step-up: a fresh TOTP check for this session, so decryption (which needs one within the configured age) can go on.
 * A code's time step is claimed atomically, so the same code cannot pass twice, even on two instances at once.
 */
export async function verifyMfa(actor: Actor, input: z.infer<typeof VerifyMfaSchema>): Promise<VerifyMfaOutcome> {
  const db = await getDatabase();
  const [user] = await db.query<{ totp_secret_sealed: Uint8Array | null; totp_last_step: number | null }>(
    "SELECT totp_secret_sealed, totp_last_step FROM users WHERE id = $1",
    [actor.userId],
  );
  if (!user?.totp_secret_sealed) return { ok: false, error: "mfa_not_enrolled" };
  const step = matchTotpStep(openSecret(user.totp_secret_sealed, actor.userId), input.code);
  return db.transaction(async (tx) => {
    const claimed =
      step === null ? [] : await tx.query("UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id", [actor.userId, step]);
    const base = { action: "auth.mfa_verify" as const, actor: auditActorOf(actor), client: auditClientOf(actor), target: { type: "session" as const, id: actor.sessionId.slice(0, 8) } };
    if (claimed.length === 0) {
      await recordAuditEvent(tx, { ...base, outcome: "denied", reason: step === null ? "mfa_invalid" : "mfa_replayed" });
      return { ok: false, error: "mfa_invalid" } as const;
    }
    const verifiedAt = new Date();
    await tx.query("UPDATE auth_sessions SET mfa_verified_at = $2 WHERE id = $1", [actor.sessionId, verifiedAt]);
    await recordAuditEvent(tx, { ...base, outcome: "success" });
    return { ok: true, verifiedAt } as const;
  });
}
