import { AppError } from "../errors/app-error";

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
