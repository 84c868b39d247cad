import "server-only";

export { AttemptReceipt, bucketOf, clearBuckets, consumeAttempts, consumeOrReport, limitState, pruneRateLimits, RATE_LIMITS, type RateLimitKey, type RateLimitRule } from "./consume-attempt";
export { RateLimitedError, retryAfterOf } from "./rate-limited-error";
