import "server-only";
import { z } from "zod";
import { recordAuditEvent } from "../audit";
import { getDatabase } from "../db";
import { consumeAttempts } from "../rate-limit";
import { auditActorOf, auditClientOf, type Actor } from "./actor";
import { consumeRecoveryCode, isRecoveryCodeShaped } from "./recovery-codes";
import { openSecret } from "./secret-box";
import { totpLimits } from "./sign-in-limits";
import { matchTotpStep } from "./totp";

export const VerifyMfaSchema = z.object({
  code: z
    .string()
    .trim()
    .transform((value) => value.replace(/\s+/g, ""))
    .refine((value) => /^\d{6}$/.test(value) || isRecoveryCodeShaped(value), "Enter the 6-digit code from your authenticator app, or one of your recovery codes."),
});

export type VerifyMfaOutcome = { ok: true; verifiedAt: Date } | { ok: false; error: "mfa_not_enrolled" | "mfa_invalid" };

/**
 * Step-up: a fresh TOTP check for this session, so decryption (which needs one within the configured age) can go on.
 * A code's time step is claimed atomically, so the same code cannot pass twice, even on two instances at once; a
 * recovery code works once instead. Each attempt is taken from the person's and the address's budgets before the code is
 * looked at (HTTP 429 past them, the code unchecked), so a burst of any size checks at most the budget; a right code
 * gives its attempt back.
 */
export async function verifyMfa(actor: Actor, input: z.input<typeof VerifyMfaSchema>): Promise<VerifyMfaOutcome> {
  const { code } = VerifyMfaSchema.parse(input);
  const receipt = await consumeAttempts(totpLimits(actor.userId, actor.clientAddress));
  const db = await getDatabase();
  const [user] = await db.query<{ totp_secret_sealed: Uint8Array | null; totp_last_step: number | null }>(
    "SELECT totp_secret_sealed, totp_last_step FROM users WHERE id = $1",
    [actor.userId],
  );
  if (!user?.totp_secret_sealed) {
    await receipt.refund();
    return { ok: false, error: "mfa_not_enrolled" };
  }
  const recovery = isRecoveryCodeShaped(code);
  const step = recovery ? null : matchTotpStep(openSecret(user.totp_secret_sealed, actor.userId), code);
  const outcome = await db.transaction(async (tx) => {
    const accepted = recovery
      ? await consumeRecoveryCode(tx, actor.userId, code)
      : step !== null &&
        (await tx.query("UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id", [actor.userId, step])).length === 1;
    const base = { actor: auditActorOf(actor), client: auditClientOf(actor), target: { type: "session" as const, id: actor.sessionId.slice(0, 8) } };
    if (!accepted) {
      await recordAuditEvent(tx, { ...base, action: "auth.mfa_verify", outcome: "denied", reason: recovery ? "recovery_code_invalid" : step === null ? "mfa_invalid" : "mfa_replayed" });
      return { ok: false, error: "mfa_invalid" } as const;
    }
    const verifiedAt = new Date();
    await tx.query("UPDATE auth_sessions SET mfa_verified_at = $2 WHERE id = $1", [actor.sessionId, verifiedAt]);
    await recordAuditEvent(tx, { ...base, action: recovery ? "mfa.recovery_code_used" : "auth.mfa_verify", outcome: "success" });
    return { ok: true, verifiedAt } as const;
  });
  if (outcome.ok) await receipt.refund();
  return outcome;
}
