import "server-only";
import { z } from "zod";
import { recordAuditEvent } from "../audit";
import { getDatabase } from "../db";
import { AppError } from "../errors/app-error";
import { consumeAttempts, type AttemptReceipt } from "../rate-limit";
import { auditActorOf, auditClientOf, type Actor } from "./actor";
import { verifyPassword } from "./password";
import { consumeRecoveryCode, isRecoveryCodeShaped } from "./recovery-codes";
import { openSecret } from "./secret-box";
import { consumePasswordAttempt, totpLimits } from "./sign-in-limits";
import { matchTotpStep } from "./totp";

export const ReauthenticateSchema = z.object({
  password: z.string().min(1, "Enter your current password.").max(1024),
  code: z
    .string()
    .trim()
    .transform((value) => value.replace(/\s+/g, ""))
    .optional(),
});

export type ReauthenticateInput = z.input<typeof ReauthenticateSchema>;

/**
 * Proof, beyond a session, that the person at the keyboard is the account's owner: the current password and, where an
 * authenticator exists, a current code from it (or a recovery code). Guards changes that would let a stolen session
 * outlive the theft (a new authenticator, new recovery codes). Both secrets are taken from the same atomic budgets as
 * at sign-in, before they are checked; the code is checked first, so without it the password is never evaluated.
 */
export async function reauthenticate(actor: Actor, input: ReauthenticateInput, purpose: "enrol" | "recovery_codes"): Promise<void> {
  const { password, code } = ReauthenticateSchema.parse(input);
  const db = await getDatabase();
  const base = { action: "auth.reauthenticate" as const, actor: auditActorOf(actor), client: auditClientOf(actor), target: { type: "user" as const, id: actor.userId }, details: { purpose } };
  const refuse = async (reason: string, error: AppError): Promise<never> => {
    await db.transaction((tx) => recordAuditEvent(tx, { ...base, outcome: "denied", reason }));
    throw error;
  };
  const [user] = await db.query<{ password_hash: string; totp_secret_sealed: Uint8Array | null }>("SELECT password_hash, totp_secret_sealed FROM users WHERE id = $1", [actor.userId]);
  if (!user) throw new AppError("unauthenticated", "re-authentication of a missing user");

  const receipts: AttemptReceipt[] = [];
  if (user.totp_secret_sealed) {
    if (!code) throw new AppError("mfa_required", "re-authentication without a code", "Enter a current code from your authenticator app (or a recovery code) with your password.");
    receipts.push(await consumeAttempts(totpLimits(actor.userId, actor.clientAddress)));
    const accepted = isRecoveryCodeShaped(code)
      ? await db.transaction((tx) => consumeRecoveryCode(tx, actor.userId, code))
      : await claimTotpStep(actor.userId, user.totp_secret_sealed, code);
    if (!accepted) await refuse("mfa_invalid", new AppError("mfa_invalid", "re-authentication code refused", "That code is not right, or it was already used. Wait for the next code in your authenticator app, or use a recovery code."));
  }
  receipts.push(await consumePasswordAttempt(actor.email, actor.clientAddress));
  if (!(await verifyPassword(password, user.password_hash))) await refuse("invalid_credentials", new AppError("password_invalid", "re-authentication password refused"));
  for (const receipt of receipts) await receipt.refund();
  await db.transaction((tx) => recordAuditEvent(tx, { ...base, outcome: "success" }));
}

/** A code's time step is claimed atomically, as at sign-in: the same code cannot pass twice. */
async function claimTotpStep(userId: string, sealed: Uint8Array, code: string): Promise<boolean> {
  const step = matchTotpStep(openSecret(sealed, userId), code);
  if (step === null) return false;
  const db = await getDatabase();
  const claimed = await db.query("UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id", [userId, step]);
  return claimed.length === 1;
}
