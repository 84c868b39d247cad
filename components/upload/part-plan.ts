// Pure arithmetic of a parted upload: which bytes make each part, which parts are missing, how long to wait before
// trying a part again. No browser APIs here, so it is unit-tested on its own (test/unit/upload-part-plan.test.ts).

/** Parts in flight per file. With two files at a time that is six requests, the most a browser keeps per host. */
export const PARTS_IN_FLIGHT = 3;
/** Tries per part (the first and five retries) before the file is marked as not sent; Retry resumes from there. */
export const MAX_PART_ATTEMPTS = 6;
export const BACKOFF_BASE_MS = 1000;
export const BACKOFF_MAX_MS = 30_000;

export interface PartPlan {
  size: number;
  partBytes: number;
  partCount: number;
}

/** How many parts the server should have planned for `size` bytes: a 0-byte file is one empty part. */
export function expectedPartCount(size: number, partBytes: number): number {
  return Math.max(1, Math.ceil(size / partBytes));
}

/** A plan the server sent that the file cannot satisfy is refused rather than guessed around. */
export function isConsistentPlan(plan: PartPlan): boolean {
  return (
    Number.isSafeInteger(plan.size) &&
    plan.size >= 0 &&
    Number.isSafeInteger(plan.partBytes) &&
    plan.partBytes > 0 &&
    Number.isSafeInteger(plan.partCount) &&
    plan.partCount === expectedPartCount(plan.size, plan.partBytes)
  );
}

/** The byte range [start, end) of part `partNumber` (1-based). */
export function partRange(plan: PartPlan, partNumber: number): { start: number; end: number } {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > plan.partCount) throw new RangeError(`part ${partNumber} is outside 1..${plan.partCount}`);
  const start = (partNumber - 1) * plan.partBytes;
  return { start, end: Math.min(partNumber * plan.partBytes, plan.size) };
}

export function partLength(plan: PartPlan, partNumber: number): number {
  const { start, end } = partRange(plan, partNumber);
  return end - start;
}

/** Part numbers not yet stored, in ascending order; numbers outside the plan are ignored. */
export function missingParts(plan: PartPlan, stored: Iterable<number>): number[] {
  const have = new Set(stored);
  const missing: number[] = [];
  for (let part = 1; part <= plan.partCount; part += 1) if (!have.has(part)) missing.push(part);
  return missing;
}

/** Plaintext bytes in the stored parts (each part counted once). */
export function storedBytes(plan: PartPlan, stored: Iterable<number>): number {
  let total = 0;
  for (const part of new Set(stored)) if (Number.isInteger(part) && part >= 1 && part <= plan.partCount) total += partLength(plan, part);
  return total;
}

/**
 * The wait before attempt `nextAttempt` (2 for the first retry): 1 s, 2 s, 4 s … doubled each time, capped, with
 * "equal jitter" (half fixed, half random) so that parts that failed together do not all come back together.
 */
export function backoffDelayMs(nextAttempt: number, random: () => number = Math.random): number {
  const exponential = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, nextAttempt - 2));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

/** Retry-After in milliseconds, from delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed), 3600) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.min(Math.max(0, at - now), 3600 * 1000);
}

/**
 * Whether trying the same request again can help: network errors (status 0), timeouts, rate limits and server-side
 * failures (5xx, including 503 key service and 507 storage). Other 4xx answers are final.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 0 || status === 408 || status === 429 || status >= 500;
}
