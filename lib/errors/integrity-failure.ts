import { AppError, isAppError } from "./app-error";

/** Content that failed a check against what was sealed: `reason` names the check, for the audit trail. */
export class IntegrityFailure extends AppError {
  constructor(
    readonly reason: string,
    detail: string,
  ) {
    super("integrity_failure", `${reason}: ${detail}`);
  }
}

export function integrityFailure(reason: string, detail: string): IntegrityFailure {
  return new IntegrityFailure(reason, detail);
}

/** The check an integrity failure names, whichever copy of this module made it (see APP_ERROR in app-error.ts). */
export function integrityReasonOf(error: unknown): string | undefined {
  if (!isAppError(error) || error.code !== "integrity_failure") return undefined;
  const { reason } = error as { reason?: unknown };
  return typeof reason === "string" ? reason : undefined;
}
