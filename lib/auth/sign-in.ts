import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { recordAuditEvent, type AuditActor } from "../audit";
import { getConfig } from "../config";
import { getDatabase, type Database } from "../db";
import { consumeAttempts, RateLimitedError, type AttemptReceipt } from "../rate-limit";
import { verifyAgainstDecoy, verifyPassword } from "./password";
import { consumeRecoveryCode, isRecoveryCodeShaped } from "./recovery-codes";
import { openSecret } from "./secret-box";
import { clearAccountFailures, consumeAccountAttempt, consumePasswordAttempt, signInEmailKey, totpLimits, type SignInClient } from "./sign-in-limits";
import { matchTotpStep } from "./totp";
import { ORG_ROLES } from "./actor";

export const SignInSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(1024),
  code: z
    .string()
    .trim()
    .transform((value) => value.replace(/\s+/g, ""))
    .optional(),
});

/** What the sign-in form is told; the same words for an unknown email and a wrong password. */
export type SignInOutcome =
  | { ok: true; userId: string; sessionId: string }
  | { ok: false; error: "invalid_credentials" | "mfa_required" | "mfa_invalid" }
  | { ok: false; error: "rate_limited" | "account_locked"; retryAfterSeconds: number };

const UserRowSchema = z.object({
  id: z.string(),
  email: z.string(),
  display_name: z.string(),
  org_slug: z.string(),
  role: z.enum(ORG_ROLES),
  password_hash: z.string(),
  totp_secret_sealed: z.instanceof(Uint8Array).nullable(),
  totp_last_step: z.number().int().nullable(),
});
type UserRow = z.output<typeof UserRowSchema>;

const NOBODY: AuditActor = { userId: null, displayName: null, org: null, role: null };

/**
 * Every attempt is taken from its budgets before the password or code is looked at (sign-in-limits.ts), so a
 * parallel burst evaluates at most the budget. While the account's budget across all addresses is spent, a password
 * alone is refused without being checked, but a right second factor followed by the right password still signs in:
 * the lock stops guessers, not the owner. Every failure in that state gets the same answer, so it tells nobody
 * whether the password was right.
 */
export async function signIn(raw: unknown, client: SignInClient): Promise<SignInOutcome> {
  const parsed = SignInSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, error: "invalid_credentials" };
  const { email, password, code } = parsed.data;
  const db = await getDatabase();
  const audit = (reason: string, actor: AuditActor, details?: Record<string, string | number | boolean | null>) =>
    db.transaction((tx) => recordAuditEvent(tx, { action: "auth.sign_in", outcome: "denied", reason, actor, client, ...(details ? { details } : {}) }));

  let passwordReceipt: AttemptReceipt;
  try {
    passwordReceipt = await consumePasswordAttempt(email, client.address);
  } catch (error) {
    if (!(error instanceof RateLimitedError)) throw error;
    await audit("rate_limited", NOBODY, { email: signInEmailKey(email) });
    return { ok: false, error: "rate_limited", retryAfterSeconds: error.retryAfterSeconds };
  }
  const account = await consumeAccountAttempt(email);
  const [user] = await db.queryRows(UserRowSchema, "SELECT * FROM users WHERE email = $1", [email]);
  const actor: AuditActor = user ? { userId: user.id, displayName: user.display_name, org: user.org_slug, role: user.role } : NOBODY;

  if ("limited" in account) {
    const locked = { ok: false, error: "account_locked", retryAfterSeconds: account.retryAfterSeconds } as const;
    // Nothing of the password is evaluated unless a second factor was proved first.
    if (!code || !user?.totp_secret_sealed) {
      await passwordReceipt.refund();
      await audit("account_locked", actor, { email });
      return locked;
    }
    const factor = await checkSecondFactor(db, user, code, actor, client);
    if (factor.outcome !== "accepted") {
      await passwordReceipt.refund();
      await audit(factor.outcome === "limited" ? "account_locked" : factor.outcome, actor);
      return locked;
    }
    if (!(await verifyPassword(password, user.password_hash))) {
      await audit("invalid_credentials", actor, { email, accountLocked: true });
      return locked;
    }
    await passwordReceipt.refund();
    return startSession(db, user, actor, client, true);
  }

  const passwordOk = user ? await verifyPassword(password, user.password_hash) : await verifyAgainstDecoy(password);
  if (!user || !passwordOk) {
    // The attempts stay taken: that is what counts the failure.
    await audit("invalid_credentials", actor, { email });
    return { ok: false, error: "invalid_credentials" };
  }
  await passwordReceipt.refund();
  await account.receipt.refund();

  if (!user.totp_secret_sealed) return startSession(db, user, actor, client, false);
  if (!code) return { ok: false, error: "mfa_required" };
  const factor = await checkSecondFactor(db, user, code, actor, client);
  if (factor.outcome === "limited") {
    await audit("rate_limited", actor);
    return { ok: false, error: "rate_limited", retryAfterSeconds: factor.retryAfterSeconds };
  }
  if (factor.outcome !== "accepted") {
    await audit(factor.outcome, actor);
    return { ok: false, error: "mfa_invalid" };
  }
  return startSession(db, user, actor, client, true);
}

async function startSession(db: Database, user: UserRow, actor: AuditActor, client: SignInClient, mfaVerified: boolean): Promise<SignInOutcome> {
  const sessionId = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + getConfig().sessionMaxAgeSeconds * 1000);
  await db.transaction(async (tx) => {
    await tx.query("INSERT INTO auth_sessions (id, user_id, expires_at, mfa_verified_at) VALUES ($1, $2, $3, $4)", [sessionId, user.id, expiresAt, mfaVerified ? new Date() : null]);
    // Only a sign-in that proved everything the account has: a password alone does not reset what guessers spent.
    if (mfaVerified || !user.totp_secret_sealed) await clearAccountFailures(tx, user.email);
    await recordAuditEvent(tx, { action: "auth.sign_in", outcome: "success", actor, client, target: { type: "session", id: sessionId.slice(0, 8) }, details: { mfa: mfaVerified } });
  });
  return { ok: true, userId: user.id, sessionId };
}

type FactorRefusal = "recovery_code_invalid" | "mfa_invalid" | "mfa_replayed";
type FactorResult = { outcome: "accepted" } | { outcome: "limited"; retryAfterSeconds: number } | { outcome: FactorRefusal };

/**
 * Takes an attempt from the second factor's budgets, then checks a TOTP code (claiming its time step, so it cannot be
 * replayed within its window) or a recovery code (marked used, once). An accepted code gives its attempt back.
 */
async function checkSecondFactor(db: Database, user: UserRow, code: string, actor: AuditActor, client: SignInClient): Promise<FactorResult> {
  let receipt: AttemptReceipt;
  try {
    receipt = await consumeAttempts(totpLimits(user.id, client.address));
  } catch (error) {
    if (error instanceof RateLimitedError) return { outcome: "limited", retryAfterSeconds: error.retryAfterSeconds };
    throw error;
  }
  const refusal = await secondFactorRefusal(db, user, code, actor, client);
  if (refusal !== null) return { outcome: refusal };
  await receipt.refund();
  return { outcome: "accepted" };
}

async function secondFactorRefusal(db: Database, user: UserRow, code: string, actor: AuditActor, client: SignInClient): Promise<FactorRefusal | null> {
  if (isRecoveryCodeShaped(code)) {
    return db.transaction(async (tx) => {
      if (!(await consumeRecoveryCode(tx, user.id, code))) return "recovery_code_invalid" as const;
      await recordAuditEvent(tx, { action: "mfa.recovery_code_used", outcome: "success", actor, client, target: { type: "user", id: user.id } });
      return null;
    });
  }
  const step = user.totp_secret_sealed ? matchTotpStep(openSecret(user.totp_secret_sealed, user.id), code) : null;
  if (step === null) return "mfa_invalid";
  // A code whose time step was already used is a replay, even if it is still inside its window.
  const claimed = await db.query("UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id", [user.id, step]);
  return claimed.length === 1 ? null : "mfa_replayed";
}
