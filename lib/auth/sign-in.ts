import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { recordAuditEvent } from "../audit";
import { getConfig } from "../config";
import { getDatabase } from "../db";
import { verifyAgainstDecoy, verifyPassword } from "./password";
import { openSecret } from "./secret-box";
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
  | { ok: false; error: "invalid_credentials" | "mfa_required" | "mfa_invalid" };

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

export async function signIn(raw: unknown, client: { address: string | null; userAgent: string | null }): Promise<SignInOutcome> {
  const parsed = SignInSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, error: "invalid_credentials" };
  const { email, password, code } = parsed.data;
  const db = await getDatabase();
  const [user] = await db.query<UserRow>("SELECT * FROM users WHERE email = $1", [email]);
  const passwordOk = user ? await verifyPassword(password, user.password_hash) : await verifyAgainstDecoy(password);
  const actor = user
    ? { userId: user.id, displayName: user.display_name, org: user.org_slug, role: user.role }
    : { userId: null, displayName: null, org: null, role: null };

  if (!user || !passwordOk) {
    await db.transaction((tx) => recordAuditEvent(tx, { action: "auth.sign_in", outcome: "denied", reason: "invalid_credentials", actor, client, details: { email } }));
    return { ok: false, error: "invalid_credentials" };
  }

  let mfaVerified = false;
  if (user.totp_secret_sealed) {
    if (!code) return { ok: false, error: "mfa_required" };
    const step = matchTotpStep(openSecret(user.totp_secret_sealed, user.id), code);
    // A code whose time step was already used is a replay, even if it is still inside its window.
    if (step === null || (user.totp_last_step !== null && step <= user.totp_last_step)) {
      await db.transaction((tx) => recordAuditEvent(tx, { action: "auth.sign_in", outcome: "denied", reason: step === null ? "mfa_invalid" : "mfa_replayed", actor, client }));
      return { ok: false, error: "mfa_invalid" };
    }
    mfaVerified = true;
    const claimed = await db.query("UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id", [user.id, step]);
    if (claimed.length === 0) return { ok: false, error: "mfa_invalid" };
  }

  const sessionId = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + getConfig().sessionMaxAgeSeconds * 1000);
  await db.transaction(async (tx) => {
    await tx.query("INSERT INTO auth_sessions (id, user_id, expires_at, mfa_verified_at) VALUES ($1, $2, $3, $4)", [sessionId, user.id, expiresAt, mfaVerified ? new Date() : null]);
    await recordAuditEvent(tx, { action: "auth.sign_in", outcome: "success", actor, client, target: { type: "session", id: sessionId.slice(0, 8) }, details: { mfa: mfaVerified } });
  });
  return { ok: true, userId: user.id, sessionId };
}
