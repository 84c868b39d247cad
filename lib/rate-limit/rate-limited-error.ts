import { AppError } from "../errors/app-error";

/** A refusal that knows when the caller may try again (sent as Retry-After). */
export class RateLimitedError extends AppError {
  constructor(
    readonly retryAfterSeconds: number,
    internal: string,
  ) {
    super("rate_limited", internal);
  }
}

export function retryAfterOf(error: unknown): number | null {
  return error instanceof RateLimitedError ? error.retryAfterSeconds : null;
}
