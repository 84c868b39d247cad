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
 * Failed attempts, counted per person (or per email address typed, so unknown addresses lock the same way and
 * reveal nothing) and per client address. Address budgets are larger: everyone behind one office NAT shares them.
 */
export const RATE_LIMITS = {
  linkGuess: { name: "link-guess", limit: 20, windowSeconds: 60 },
  linkGuessAddress: { name: "link-guess-address", limit: 60, windowSeconds: 60 },
  totpAttempt: { name: "totp", limit: 5, windowSeconds: 300 },
  totpAddress: { name: "totp-address", limit: 20, windowSeconds: 300 },
  signInAccount: { name: "sign-in-account", limit: 10, windowSeconds: 900 },
  signInAddress: { name: "sign-in-address", limit: 30, windowSeconds: 300 },
} as const satisfies Record<string, RateLimitRule>;

/**
 * A sliding window, estimated from two fixed ones (the current window's count plus the previous window's, weighted
 * by how much of it the sliding window still covers): unlike plain fixed windows it gives no fresh budget at a
 * window boundary, so a burst straddling one is limited like any other.
 */
interface WindowCount {
  weighted: number;
  retryAfterSeconds: number;
}

async function countInWindow(db: Queryable, rule: RateLimitRule, key: string, now: number, addOne: boolean): Promise<WindowCount> {
  const windowMs = rule.windowSeconds * 1000;
  const start = Math.floor(now / windowMs) * windowMs;
  const bucket = `${rule.name}:${key}`;
  const [current] = addOne
    ? await db.query<{ hits: number }>(
        `INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1)
         ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1
         RETURNING hits`,
        [bucket, new Date(start)],
      )
    : await db.query<{ hits: number }>("SELECT hits FROM rate_limits WHERE bucket = $1 AND window_start = $2", [bucket, new Date(start)]);
  const [previous] = await db.query<{ hits: number }>("SELECT hits FROM rate_limits WHERE bucket = $1 AND window_start = $2", [bucket, new Date(start - windowMs)]);
  const currentHits = current?.hits ?? 0;
  const previousHits = previous?.hits ?? 0;
  const elapsed = (now - start) / windowMs;
  // When, with no further attempts, the estimate falls below the limit again: still in this window as the
  // previous one's weight fades, or else in the next one as this one's does.
  const freeAt =
    currentHits < rule.limit
      ? start + windowMs * (1 - (rule.limit - currentHits) / Math.max(previousHits, 1))
      : start + windowMs + windowMs * (1 - rule.limit / currentHits);
  return { weighted: currentHits + previousHits * (1 - elapsed), retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now) / 1000)) };
}

/**
 * Counts one attempt, in the database so every instance shares the count, and throws a RateLimitedError (HTTP 429,
 * Retry-After) once the limit is passed.
 */
export async function consumeAttempt(rule: RateLimitRule, key: string, now = Date.now()): Promise<void> {
  const count = await countInWindow(await getDatabase(), rule, key, now, true);
  if (count.weighted > rule.limit) throw new RateLimitedError(count.retryAfterSeconds, `${rule.name} limit of ${rule.limit} per ${rule.windowSeconds}s reached`);
}

/** Old windows are useless; dropped by the maintenance sweep. */
export async function pruneRateLimits(olderThanSeconds = 3600): Promise<void> {
  const db = await getDatabase();
  await db.query("DELETE FROM rate_limits WHERE window_start < now() - make_interval(secs => $1)", [olderThanSeconds]);
}

/** Refuses, without counting, once `key` is at its limit: checked before the work a limit protects. */
export async function assertUnderLimit(rule: RateLimitRule, key: string, now = Date.now()): Promise<void> {
  const count = await countInWindow(await getDatabase(), rule, key, now, false);
  if (count.weighted >= rule.limit) throw new RateLimitedError(count.retryAfterSeconds, `${rule.name} limit of ${rule.limit} reached`);
}
