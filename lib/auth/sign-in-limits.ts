import "server-only";
import type { Queryable } from "../db";
import { bucketOf, clearBuckets, consumeAttempts, consumeOrReport, limitState, RATE_LIMITS, type AttemptReceipt, type RateLimitKey } from "../rate-limit";

export interface SignInClient {
  address: string | null;
  userAgent: string | null;
}

/** The email as sign-in compares it, so " Alice@ACME.example" and "alice@acme.example" share one budget. */
export function signInEmailKey(email: string): string {
  return email.trim().toLowerCase();
}

const accountKey = (email: string) => `email:${signInEmailKey(email)}`;
const accountAddressKey = (email: string, address: string | null) => `${accountKey(email)}|address:${address ?? "unknown"}`;

/**
 * The budgets a password attempt is taken from before the password is looked at: this account from this address
 * (small: it locks a guesser quickly, and only where the guessing comes from) and this address across accounts
 * (larger: everyone behind one office NAT shares it). Neither can be spent by someone elsewhere.
 */
export function passwordLimits(email: string, address: string | null): RateLimitKey[] {
  const limits: RateLimitKey[] = [[RATE_LIMITS.signInAccountAddress, accountAddressKey(email, address)]];
  if (address) limits.push([RATE_LIMITS.signInAddress, `address:${address}`]);
  return limits;
}

/**
 * The per-account budget across all addresses: when spent (guessing spread over many addresses), a password alone no
 * longer signs in, but a password with a right second factor still does. Reported, not thrown, for that reason.
 */
export function consumeAccountAttempt(email: string): Promise<{ receipt: AttemptReceipt } | { limited: true; retryAfterSeconds: number }> {
  return consumeOrReport(RATE_LIMITS.signInAccount, accountKey(email));
}

export function consumePasswordAttempt(email: string, address: string | null): Promise<AttemptReceipt> {
  return consumeAttempts(passwordLimits(email, address));
}

/** The second factor's budgets, at sign-in, step-up, enrolment and re-authentication: per person, and per address when known. */
export function totpLimits(userId: string, address: string | null): RateLimitKey[] {
  const perPerson: RateLimitKey = [RATE_LIMITS.totpAttempt, `user:${userId}`];
  return address ? [perPerson, [RATE_LIMITS.totpAddress, `address:${address}`]] : [perPerson];
}

/** Whether the per-account budget is spent: password-only sign-in is refused until it recovers or an admin unlocks. */
export async function accountLockState(email: string): Promise<{ locked: boolean; retryAfterSeconds: number }> {
  const state = await limitState(RATE_LIMITS.signInAccount, accountKey(email));
  return { locked: state.limited, retryAfterSeconds: state.retryAfterSeconds };
}

/** A fully verified sign-in proves the owner is back: earlier failures against the account no longer count. */
export function clearAccountFailures(db: Queryable, email: string): Promise<void> {
  return clearBuckets(db, { exact: [bucketOf(RATE_LIMITS.signInAccount, accountKey(email))] });
}

/** An admin's unlock: the account's budgets everywhere (each address's too) and the person's second-factor budget. */
export function clearSignInBuckets(db: Queryable, email: string, userId: string): Promise<void> {
  return clearBuckets(db, {
    exact: [bucketOf(RATE_LIMITS.signInAccount, accountKey(email)), bucketOf(RATE_LIMITS.totpAttempt, `user:${userId}`)],
    prefixes: [bucketOf(RATE_LIMITS.signInAccountAddress, `${accountKey(email)}|`)],
  });
}
