import "server-only";
import { log } from "../log";
import type { ErrorBody } from "../contract/transfer";
import { asAppError } from "../errors/app-error";
import { retryAfterOf } from "../rate-limit/rate-limited-error";

/**
 * The JSON error body every route sends (the transfer contract's ErrorBody): a stable code, a sentence for people,
 * never an exception message, and whether the same request can succeed if sent again.
 */
export function errorResponse(error: unknown): Response {
  const appError = asAppError(error);
  if (appError.status >= 500) log.error({ code: appError.code, internal: appError.internal }, "request failed");
  const headers: Record<string, string> = { "Cache-Control": "no-store" };
  if (appError.code === "rate_limited") headers["Retry-After"] = String(retryAfterOf(appError) ?? 60);
  const body: ErrorBody = { error: { code: appError.code, message: appError.userMessage, retryable: appError.retryable } };
  return Response.json(body, { status: appError.status, headers });
}
