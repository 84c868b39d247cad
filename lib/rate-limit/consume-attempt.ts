import "server-only";
import { getDatabase } from "../db";
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
 * Counts one attempt in the current fixed window, in the database so every instance shares the count, and throws
 * a RateLimitedError (HTTP 429, Retry-After = rest of the window) once the limit is passed.
 */
export async function consumeAttempt(rule: RateLimitRule, key: string, now = Date.now()): Promise<void> {
  const windowMs = rule.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now / windowMs) * windowMs);
  const db = await getDatabase();
  const [row] = await db.query<{ hits: number }>(
    `INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1)
     ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1
     RETURNING hits`,
    [`${rule.name}:${key}`, windowStart],
  );
  if ((row?.hits ?? 0) > rule.limit) {
    const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now) / 1000));
    throw new RateLimitedError(retryAfterSeconds, `${rule.name} limit of ${rule.limit} per ${rule.windowSeconds}s reached`);
  }
}

/** Old windows are useless; dropped by the maintenance sweep. */
export async function pruneRateLimits(olderThanSeconds = 3600): Promise<void> {
  const db = await getDatabase();
  await db.query("DELETE FROM rate_limits WHERE window_start < now() - make_interval(secs => $1)", [olderThanSeconds]);
}

/** Refuses, without counting, once `key` is over its limit in the current window: checked before the work a limit protects. */
export async function assertUnderLimit(rule: RateLimitRule, key: string, now = Date.now()): Promise<void> {
  const windowMs = rule.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now / windowMs) * windowMs);
  const db = await getDatabase();
  const [row] = await db.query<{ hits: number }>("SELECT hits FROM rate_limits WHERE bucket = $1 AND window_start = $2", [`${rule.name}:${key}`, windowStart]);
  if ((row?.hits ?? 0) >= rule.limit) {
    throw new RateLimitedError(Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now) / 1000)), `${rule.name} limit of ${rule.limit} reached`);
  }
}
