import "server-only";

export { assertUnderLimit, consumeAttempt, pruneRateLimits, RATE_LIMITS, type RateLimitRule } from "./consume-attempt";
export { RateLimitedError, retryAfterOf } from "./rate-limited-error";
