import "server-only";
import { AppError, isAppError } from "../errors/app-error";

const DENIED = new Set(["AccessDeniedException", "AccessDenied", "IncorrectKeyException"]);
const INTEGRITY = new Set(["InvalidCiphertextException"]);
const UNAVAILABLE = new Set([
  "ThrottlingException",
  "KMSInternalException",
  "DependencyTimeoutException",
  "KeyUnavailableException",
  "ServiceUnavailable",
  "InternalFailure",
  "TimeoutError",
  "ECONNREFUSED",
  "ECONNRESET",
]);
const S3_MISSING = new Set(["NoSuchKey", "NotFound"]);

function describe(error: unknown, codes: readonly string[]): { all: string[]; internal: string; status: number | undefined } {
  const name = error instanceof Error ? error.name : "";
  const networkCode = (error as { code?: string } | null)?.code ?? "";
  const all = [name, networkCode, ...codes].filter(Boolean);
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  return { all, status, internal: `${all.join("/")}${status ? ` (HTTP ${status})` : ""}: ${error instanceof Error ? error.message : String(error)}` };
}

/**
 * A KMS or STS failure as what a person can act on; the AWS message stays internal. Only the key service's own
 * calls come here (lib/aws/kms-session), so AccessDenied and 503 mean the key service refused or failed.
 */
export function keyServiceFailure(error: unknown, codes: readonly string[] = []): AppError {
  if (isAppError(error)) return error;
  const { all, internal, status } = describe(error, codes);
  if (all.some((code) => DENIED.has(code))) return new AppError("key_service_denied", internal);
  if (all.some((code) => INTEGRITY.has(code))) return new AppError("integrity_failure", internal);
  if (all.some((code) => UNAVAILABLE.has(code)) || status === 503) return new AppError("key_service_unavailable", internal);
  return new AppError("internal", internal);
}

/**
 * An S3 failure is the blob store's: a refusal (403), throttling (SlowDown, 503) or outage means storage is failing,
 * never that the key service refused; a missing object is `not_found`, for the caller to judge.
 */
export function storageServiceFailure(error: unknown, what: string): AppError {
  if (isAppError(error)) return error;
  const { all, internal, status } = describe(error, []);
  return new AppError(all.some((code) => S3_MISSING.has(code)) || status === 404 ? "not_found" : "storage_failure", `S3 ${what}: ${internal}`);
}
