import "server-only";
import { z } from "zod";
import { recordAuditEvent } from "../audit";
import { getDatabase } from "../db";
import { AppError } from "../errors/app-error";
import { consumeAttempts } from "../rate-limit";
import { auditActorOf, auditClientOf, type Actor } from "./actor";
import { reauthenticate, type ReauthenticateInput } from "./reauthenticate";
import { replaceRecoveryCodes } from "./recovery-codes";
import { openSecret, sealSecret } from "./secret-box";
import { totpLimits } from "./sign-in-limits";
import { matchTotpStep, newTotpSecret, totpUri } from "./totp";

export const ConfirmTotpSchema = z.object({ code: z.string().trim().regex(/^\d{6}$/, "Enter the 6-digit code your authenticator app shows for Keybridge.") });

async function hasTotp(userId: string): Promise<boolean> {
  const db = await getDatabase();
  const [row] = await db.query<{ enrolled: boolean }>("SELECT totp_secret_sealed IS NOT NULL AS enrolled FROM users WHERE id = $1", [userId]);
  return row?.enrolled ?? false;
}

/**
 * A new secret, kept pending (sealed) until a first code confirms it; the active one keeps working meanwhile. Needs
 * the password and, if an authenticator exists, a current code from it: a stolen session alone cannot add a factor.
 */
export async function startTotpEnrolment(actor: Actor, proof: ReauthenticateInput): Promise<{ secret: string; uri: string }> {
  await reauthenticate(actor, proof, "enrol");
  const secret = newTotpSecret();
  const db = await getDatabase();
  await db.query("UPDATE users SET totp_pending_sealed = $2 WHERE id = $1", [actor.userId, sealSecret(secret, actor.userId)]);
  return { secret, uri: totpUri(secret, actor.email) };
}

/**
 * The first code proves the app holds the secret; only then does it become the person's factor, with ten new recovery
 * codes returned once (stored hashed). Each code is taken from the second factor's budgets before it is checked;
 * wrong ones are audited, a right one gives its attempt back.
 */
export async function confirmTotpEnrolment(actor: Actor, input: z.input<typeof ConfirmTotpSchema>): Promise<{ recoveryCodes: string[] }> {
  const { code } = ConfirmTotpSchema.parse(input);
  const receipt = await consumeAttempts(totpLimits(actor.userId, actor.clientAddress));
  const db = await getDatabase();
  const [user] = await db.query<{ totp_pending_sealed: Uint8Array | null }>("SELECT totp_pending_sealed FROM users WHERE id = $1", [actor.userId]);
  if (!user?.totp_pending_sealed) {
    await receipt.refund();
    throw new AppError("invalid_input", "no pending enrolment", "Start the set-up again: no authenticator is waiting to be confirmed.");
  }
  const pending = openSecret(user.totp_pending_sealed, actor.userId);
  const step = matchTotpStep(pending, code);
  const base = { actor: auditActorOf(actor), client: auditClientOf(actor), target: { type: "user" as const, id: actor.userId } };
  if (step === null) {
    await db.transaction((tx) => recordAuditEvent(tx, { ...base, action: "mfa.enrol_failed", outcome: "denied", reason: "mfa_invalid" }));
    throw new AppError("mfa_invalid", "enrolment code did not match");
  }
  const recoveryCodes = await db.transaction(async (tx) => {
    const moved = await tx.query(
      "UPDATE users SET totp_secret_sealed = totp_pending_sealed, totp_pending_sealed = NULL, totp_last_step = $2 WHERE id = $1 AND totp_pending_sealed = $3 RETURNING id",
      [actor.userId, step, user.totp_pending_sealed],
    );
    if (moved.length === 0) throw new AppError("invalid_input", "pending enrolment changed", "The set-up was restarted elsewhere. Start it again here.");
    const codes = await replaceRecoveryCodes(tx, actor.userId);
    await recordAuditEvent(tx, { ...base, action: "mfa.enrolled", outcome: "success" });
    await recordAuditEvent(tx, { ...base, action: "mfa.recovery_codes_generated", outcome: "success", details: { count: codes.length } });
    return codes;
  });
  await receipt.refund();
  return { recoveryCodes };
}

/** New recovery codes replace all old ones; needs the password and a current code, like any change of factors. */
export async function regenerateRecoveryCodes(actor: Actor, proof: ReauthenticateInput): Promise<{ recoveryCodes: string[] }> {
  if (!(await hasTotp(actor.userId))) throw new AppError("mfa_not_enrolled");
  await reauthenticate(actor, proof, "recovery_codes");
  const db = await getDatabase();
  const recoveryCodes = await db.transaction(async (tx) => {
    const codes = await replaceRecoveryCodes(tx, actor.userId);
    await recordAuditEvent(tx, {
      action: "mfa.recovery_codes_generated",
      outcome: "success",
      actor: auditActorOf(actor),
      client: auditClientOf(actor),
      target: { type: "user", id: actor.userId },
      details: { count: codes.length },
    });
    return codes;
  });
  return { recoveryCodes };
}
