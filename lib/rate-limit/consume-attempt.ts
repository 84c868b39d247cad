import "server-only";
import { getDatabase, type Queryable } from "../db";
import { RateLimitedError } from "./rate-limited-error";

export interface RateLimitRule {
  /** Names the kind of attempt, e.g. "link-guess"; the key says whose. */
  name: string;
  limit: number;
  windowSeconds: number;
}

/**
 * Attempts, counted per person (or per email address typed, so unknown addresses lock the same way and reveal
 * nothing) and per client address. Address budgets are larger: everyone behind one office NAT shares them. The
 * sign-in budgets are three (lib/auth/sign-in-limits.ts says how they combine): one account from one address locks
 * quickly; one address across accounts; and one account across all addresses, larger and slower, which a second
 * factor lifts.
 */
export const RATE_LIMITS = {
  linkGuess: { name: "link-guess", limit: 20, windowSeconds: 60 },
  linkGuessAddress: { name: "link-guess-address", limit: 60, windowSeconds: 60 },
  totpAttempt: { name: "totp", limit: 5, windowSeconds: 300 },
  totpAddress: { name: "totp-address", limit: 20, windowSeconds: 300 },
  signInAccountAddress: { name: "sign-in-account-address", limit: 5, windowSeconds: 900 },
  signInAccount: { name: "sign-in-account", limit: 10, windowSeconds: 1800 },
  signInAddress: { name: "sign-in-address", limit: 30, windowSeconds: 300 },
} as const satisfies Record<string, RateLimitRule>;

export type RateLimitKey = [RateLimitRule, string];

export function bucketOf(rule: RateLimitRule, key: string): string {
  return `${rule.name}:${key}`;
}

/** One attempt taken from one bucket's window row: what a refund gives back, to that same row. */
interface Taken {
  bucket: string;
  windowStart: Date;
}

/**
 * What a caller holds after its attempts were admitted. A successful attempt may give its own consumption back
 * (`refund`), once: a receipt cannot refund more than it took, however often it is called.
 */
export class AttemptReceipt {
  #taken: Taken[];

  constructor(taken: Taken[]) {
    this.#taken = taken;
  }

  async refund(db?: Queryable): Promise<void> {
    const taken = this.#taken;
    this.#taken = [];
    if (taken.length === 0) return;
    const target = db ?? (await getDatabase());
    for (const { bucket, windowStart } of taken) {
      await target.query("UPDATE rate_limits SET hits = hits - 1 WHERE bucket = $1 AND window_start = $2 AND hits > 0", [bucket, windowStart]);
    }
  }
}

/**
 * A sliding window, estimated from two fixed ones (the current window's count plus the previous window's, weighted
 * by how much of it the sliding window still covers): unlike plain fixed windows it gives no fresh budget at a
 * window boundary, so a burst straddling one is limited like any other.
 */
interface WindowCount {
  weighted: number;
  retryAfterSeconds: number;
}

function windowStartOf(rule: RateLimitRule, now: number): number {
  const windowMs = rule.windowSeconds * 1000;
  return Math.floor(now / windowMs) * windowMs;
}

function estimate(rule: RateLimitRule, now: number, currentHits: number, previousHits: number): WindowCount {
  const windowMs = rule.windowSeconds * 1000;
  const start = windowStartOf(rule, now);
  const elapsed = (now - start) / windowMs;
  // When, with no further attempts, the estimate falls below the limit again: still in this window as the
  // previous one's weight fades, or else in the next one as this one's does.
  const freeAt =
    currentHits < rule.limit
      ? start + windowMs * (1 - (rule.limit - currentHits) / Math.max(previousHits, 1))
      : start + windowMs + windowMs * (1 - rule.limit / currentHits);
  return { weighted: currentHits + previousHits * (1 - elapsed), retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now) / 1000)) };
}

async function previousHits(db: Queryable, rule: RateLimitRule, bucket: string, now: number): Promise<number> {
  const start = windowStartOf(rule, now) - rule.windowSeconds * 1000;
  const [row] = await db.query<{ hits: number }>("SELECT hits FROM rate_limits WHERE bucket = $1 AND window_start = $2", [bucket, new Date(start)]);
  return row?.hits ?? 0;
}

interface Consumed {
  taken: Taken;
  count: WindowCount;
  over: boolean;
}

/**
 * Takes one attempt in a single statement: the count this request sees is the one its own increment returned, so
 * parallel requests, on one instance or many, each see a different count and at most the limit see one within it.
 * Reading first and counting after the check (as this module once did) let every request of a burst read the same
 * count.
 */
async function take(db: Queryable, rule: RateLimitRule, key: string, now: number): Promise<Consumed> {
  const bucket = bucketOf(rule, key);
  const windowStart = new Date(windowStartOf(rule, now));
  const [row] = await db.query<{ hits: number }>(
    `INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1)
     ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1
     RETURNING hits`,
    [bucket, windowStart],
  );
  const count = estimate(rule, now, row?.hits ?? 1, await previousHits(db, rule, bucket, now));
  return { taken: { bucket, windowStart }, count, over: count.weighted > rule.limit };
}

/**
 * Takes one attempt from every bucket, before the secret they protect is looked at. If any bucket is past its limit
 * the request is refused (RateLimitedError, HTTP 429 with Retry-After) without evaluating anything, and what it took
 * is given back: a refused request does not lengthen the lock, it only never gets through.
 */
export async function consumeAttempts(limits: readonly RateLimitKey[], now = Date.now()): Promise<AttemptReceipt> {
  const db = await getDatabase();
  const consumed: Consumed[] = [];
  for (const [rule, key] of limits) consumed.push(await take(db, rule, key, now));
  const receipt = new AttemptReceipt(consumed.map((entry) => entry.taken));
  const refused = consumed.filter((entry) => entry.over);
  if (refused.length > 0) {
    await receipt.refund(db);
    const retryAfter = Math.max(...refused.map((entry) => entry.count.retryAfterSeconds));
    const names = refused.map((entry) => entry.taken.bucket.split(":")[0]).join(", ");
    throw new RateLimitedError(retryAfter, `limit reached: ${names}`);
  }
  return receipt;
}

/** Like consumeAttempts for one bucket, but a bucket past its limit is reported (its attempt given back) instead of thrown. */
export async function consumeOrReport(rule: RateLimitRule, key: string, now = Date.now()): Promise<{ receipt: AttemptReceipt } | { limited: true; retryAfterSeconds: number }> {
  const db = await getDatabase();
  const consumed = await take(db, rule, key, now);
  const receipt = new AttemptReceipt([consumed.taken]);
  if (!consumed.over) return { receipt };
  await receipt.refund(db);
  return { limited: true, retryAfterSeconds: consumed.count.retryAfterSeconds };
}

/**
 * Whether `key` is at its limit now, without taking anything: for display (an admin's "locked" column) and for
 * the Retry-After of a refusal already decided. Never a gate in front of a secret: that is consumeAttempts' job.
 */
export async function limitState(rule: RateLimitRule, key: string, now = Date.now()): Promise<{ limited: boolean; retryAfterSeconds: number }> {
  const db = await getDatabase();
  const bucket = bucketOf(rule, key);
  const [current] = await db.query<{ hits: number }>("SELECT hits FROM rate_limits WHERE bucket = $1 AND window_start = $2", [bucket, new Date(windowStartOf(rule, now))]);
  const count = estimate(rule, now, current?.hits ?? 0, await previousHits(db, rule, bucket, now));
  return { limited: count.weighted >= rule.limit, retryAfterSeconds: count.retryAfterSeconds };
}

/** Forgets every window of the buckets named exactly, and of those starting with a prefix (an unlock, a verified sign-in). */
export async function clearBuckets(db: Queryable, buckets: { exact?: string[]; prefixes?: string[] }): Promise<void> {
  for (const bucket of buckets.exact ?? []) await db.query("DELETE FROM rate_limits WHERE bucket = $1", [bucket]);
  for (const prefix of buckets.prefixes ?? []) await db.query("DELETE FROM rate_limits WHERE left(bucket, length($1)) = $1", [prefix]);
}

/** Old windows are useless; dropped by the maintenance sweep. */
export async function pruneRateLimits(olderThanSeconds = 3600): Promise<void> {
  const db = await getDatabase();
  await db.query("DELETE FROM rate_limits WHERE window_start < now() - make_interval(secs => $1)", [olderThanSeconds]);
}
