import type { FailedCallDetails } from "../contracts";

/** Attaches CloudTrail fields to an error a handler throws, so the failed call's event still names its parameters. */
export function withCallDetails<E extends Error>(error: E, details: FailedCallDetails): E & { details: FailedCallDetails } {
  return Object.assign(error, { details });
}

export function callDetailsOf(error: unknown): FailedCallDetails {
  if (typeof error === "object" && error !== null && "details" in error) {
    const details = (error).details;
    if (typeof details === "object" && details !== null) return details;
  }
  return {};
}
