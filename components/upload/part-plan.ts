// Pure arithmetic of a parted upload: which bytes make each part, which parts are missing, how long to wait before
// trying a part again. No browser APIs here, so it is unit-tested on its own (test/unit/upload-transfer.test.ts).
import { isConsistentLayout, partCountFor, partRange, partSize, type PartLayout } from "../../lib/contract/transfer";

/** Parts in flight per file. With two files at a time that is six requests, the most a browser keeps per host. */
export const PARTS_IN_FLIGHT = 3;
/** Tries per part (the first and five retries) before the file is marked as not sent; Retry resumes from there. */
export const MAX_PART_ATTEMPTS = 6;
export const BACKOFF_BASE_MS = 1000;
export const BACKOFF_MAX_MS = 30_000;

/** The layout the server planned; its arithmetic is the transfer contract's (lib/contract/transfer.ts). */
export type PartPlan = PartLayout;
export const expectedPartCount = partCountFor;
export const isConsistentPlan = isConsistentLayout;
export { partRange };
export const partLength = partSize;

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
