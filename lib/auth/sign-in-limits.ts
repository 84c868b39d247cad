import "server-only";
import { recordAuditEvent } from "../audit";
import { getDatabase } from "../db";
import { assertUnderLimit, consumeAttempt, RATE_LIMITS, RateLimitedError, type RateLimitRule } from "../rate-limit";

export interface SignInClient {
  address: string | null;
  userAgent: string | null;
}

export interface SignInRefusal {
  error: "account_locked" | "rate_limited";
  retryAfterSeconds: number;
}

/** The email as sign-in compares it, so " Alice@ACME.example" and "alice@acme.example" share one budget. */
export function signInEmailKey(email: string): string {
  return email.trim().toLowerCase();
}

function buckets(email: string, address: string | null): Array<{ rule: RateLimitRule; key: string; error: SignInRefusal["error"] }> {
  return [
    { rule: RATE_LIMITS.signInAccount, key: `email:${signInEmailKey(email)}`, error: "account_locked" },
    ...(address ? [{ rule: RATE_LIMITS.signInAddress, key: `address:${address}`, error: "rate_limited" as const }] : []),
  ];
}

/**
 * Checked before any password: an email with too many recent failures is locked (whether or not such a person
 * exists, so locking reveals nothing), and a client address over its budget is slowed down. Refusals are audited.
 */
export async function signInRefusal(email: string, client: SignInClient): Promise<SignInRefusal | null> {
  for (const { rule, key, error } of buckets(email, client.address)) {
    try {
      await assertUnderLimit(rule, key);
    } catch (caught) {
      if (!(caught instanceof RateLimitedError)) throw caught;
      const db = await getDatabase();
      const actor = { userId: null, displayName: null, org: null, role: null };
      await db.transaction((tx) => recordAuditEvent(tx, { action: "auth.sign_in", outcome: "denied", reason: error, actor, client, details: { email: signInEmailKey(email) } }));
      return { error, retryAfterSeconds: caught.retryAfterSeconds };
    }
  }
  return null;
}

/** A wrong password counts against the email and the address; the refusal itself comes on the next attempt. */
export async function countFailedSignIn(email: string, client: SignInClient): Promise<void> {
  for (const { rule, key } of buckets(email, client.address)) {
    await consumeAttempt(rule, key).catch((error: unknown) => {
      if (!(error instanceof RateLimitedError)) throw error;
    });
  }
}

/** The second factor's budgets, at sign-in and at step-up: per person, and per address when the address is known. */
export function totpLimits(userId: string, address: string | null): Array<[RateLimitRule, string]> {
  const perPerson: [RateLimitRule, string] = [RATE_LIMITS.totpAttempt, `user:${userId}`];
  return address ? [perPerson, [RATE_LIMITS.totpAddress, `address:${address}`]] : [perPerson];
}
