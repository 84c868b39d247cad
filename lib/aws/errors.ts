import "server-only";
import { AppError } from "../errors/app-error";

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

/** Maps an AWS SDK or network failure to what a person can act on; the AWS message stays internal. */
export function awsFailureToAppError(error: unknown, codes: readonly string[] = []): AppError {
  const name = error instanceof Error ? error.name : "";
  const networkCode = (error as { code?: string } | null)?.code ?? "";
  const all = [name, networkCode, ...codes];
  const internal = `${all.filter(Boolean).join("/")}: ${error instanceof Error ? error.message : String(error)}`;
  if (all.some((code) => DENIED.has(code))) return new AppError("key_service_denied", internal);
  if (all.some((code) => INTEGRITY.has(code))) return new AppError("integrity_failure", internal);
  if (all.some((code) => UNAVAILABLE.has(code)) || (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode === 503) {
    return new AppError("key_service_unavailable", internal);
  }
  return new AppError("internal", internal);
}
