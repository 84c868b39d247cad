import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { recordAuditEvent, type AuditActor } from "../audit";
import { getConfig } from "../config";
import { getDatabase, type Database } from "../db";
import { assertUnderLimit, consumeAttempt, RateLimitedError } from "../rate-limit";
import { verifyAgainstDecoy, verifyPassword } from "./password";
import { consumeRecoveryCode, isRecoveryCodeShaped } from "./recovery-codes";
import { openSecret } from "./secret-box";
import { countFailedSignIn, signInRefusal, totpLimits, type SignInClient } from "./sign-in-limits";
import { matchTotpStep } from "./totp";

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
  | { ok: false; error: "invalid_credentials" | "mfa_required" | "mfa_invalid" | "rate_limited" | "account_locked" };

interface UserRow {
  id: string;
  email: string;
  display_name: string;
  org_slug: string;
  role: string;
  password_hash: string;
  totp_secret_sealed: Uint8Array | null;
  totp_last_step: number | null;
  [key: string]: unknown;
}

export async function signIn(raw: unknown, client: SignInClient): Promise<SignInOutcome> {
  const parsed = SignInSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, error: "invalid_credentials" };
  const { email, password, code } = parsed.data;
  const refusal = await signInRefusal(email, client);
  if (refusal) return { ok: false, error: refusal.error };
  const db = await getDatabase();
  const [user] = await db.query<UserRow>("SELECT * FROM users WHERE email = $1", [email]);
  const passwordOk = user ? await verifyPassword(password, user.password_hash) : await verifyAgainstDecoy(password);
  const actor = user
    ? { userId: user.id, displayName: user.display_name, org: user.org_slug, role: user.role }
    : { userId: null, displayName: null, org: null, role: null };

  if (!user || !passwordOk) {
    await db.transaction((tx) => recordAuditEvent(tx, { action: "auth.sign_in", outcome: "denied", reason: "invalid_credentials", actor, client, details: { email } }));
    await countFailedSignIn(email, client);
    return { ok: false, error: "invalid_credentials" };
  }

  let mfaVerified = false;
  if (user.totp_secret_sealed) {
    if (!code) return { ok: false, error: "mfa_required" };
    // Wrong codes count per person and per address (in the database, across instances); past a limit nobody is told whether a code was right.
    const limits = totpLimits(user.id, client.address);
    try {
      for (const [rule, key] of limits) await assertUnderLimit(rule, key);
    } catch (error) {
      if (!(error instanceof RateLimitedError)) throw error;
      await db.transaction((tx) => recordAuditEvent(tx, { action: "auth.sign_in", outcome: "denied", reason: "rate_limited", actor, client }));
      return { ok: false, error: "rate_limited" };
    }
    const refusal = await secondFactorRefusal(db, user, code, actor, client);
    if (refusal) {
      await db.transaction((tx) => recordAuditEvent(tx, { action: "auth.sign_in", outcome: "denied", reason: refusal, actor, client }));
      const counted = await Promise.all(
        limits.map(([rule, key]) =>
          consumeAttempt(rule, key).then(
            () => false,
            (error: unknown) => error instanceof RateLimitedError,
          ),
        ),
      );
      const limited = counted.includes(true);
      return { ok: false, error: limited ? "rate_limited" : "mfa_invalid" };
    }
    mfaVerified = true;
  }

  const sessionId = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + getConfig().sessionMaxAgeSeconds * 1000);
  await db.transaction(async (tx) => {
    await tx.query("INSERT INTO auth_sessions (id, user_id, expires_at, mfa_verified_at) VALUES ($1, $2, $3, $4)", [sessionId, user.id, expiresAt, mfaVerified ? new Date() : null]);
    await recordAuditEvent(tx, { action: "auth.sign_in", outcome: "success", actor, client, target: { type: "session", id: sessionId.slice(0, 8) }, details: { mfa: mfaVerified } });
  });
  return { ok: true, userId: user.id, sessionId };
}

/**
 * Checks a TOTP code (claiming its time step, so it cannot be replayed within its window) or a recovery code
 * (marked used, once). Returns null when accepted, else the audit reason.
 */
async function secondFactorRefusal(
  db: Database,
  user: UserRow,
  code: string,
  actor: AuditActor,
  client: { address: string | null; userAgent: string | null },
): Promise<string | null> {
  if (isRecoveryCodeShaped(code)) {
    return db.transaction(async (tx) => {
      if (!(await consumeRecoveryCode(tx, user.id, code))) return "recovery_code_invalid";
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
