import "server-only";
import { AppError, isAppError, translatingFailures } from "../errors/app-error";

/**
 * A local disk failure as the blob store reports it: a key with no file is `not_found` (the caller judges whether
 * that is loss or tampering); anything else (full, over quota, read-only, I/O error, too many files) means storage
 * is failing, whatever the upload or the key service did.
 */
export function diskFailure(error: unknown, what: string): AppError {
  if (isAppError(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const detail = `disk ${what}: ${typeof code === "string" ? `${code} ` : ""}${error instanceof Error ? error.message : String(error)}`;
  return new AppError(code === "ENOENT" ? "not_found" : "storage_failure", detail);
}

export function onDisk<T>(what: string, work: () => Promise<T>): Promise<T> {
  return translatingFailures(work, (error) => diskFailure(error, what));
}
