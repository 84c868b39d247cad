import { AwsError } from "../contracts";
import type { FaultRule } from "./rules";

/**
 * Statuses and messages AWS sends with these codes. The SDKs retry on the code (throttling) or on a 5xx status
 * (transient), so a fault must carry both as AWS would for the client's retry strategy to react as it does in production.
 */
const AS_AWS_SENDS: Record<string, [status: number, message: string]> = {
  ThrottlingException: [400, "Rate exceeded"],
  Throttling: [400, "Rate exceeded"],
  KMSInternalException: [500, "The request was rejected because an internal exception occurred. The request can be retried."],
  InternalFailure: [500, "The request processing has failed because of an unknown error, exception or failure."],
  DependencyTimeoutException: [503, "The system timed out while trying to fulfill the request. The request can be retried."],
  ServiceUnavailable: [503, "Service is unable to handle request."],
  ServiceUnavailableException: [503, "Service is unable to handle request."],
};

/** The error a firing rule answers with (the rule has an errorCode). */
export function faultError(rule: FaultRule & { errorCode: string }): AwsError {
  const [status, message] = AS_AWS_SENDS[rule.errorCode] ?? [400, `Injected fault ${rule.errorCode}`];
  return new AwsError(rule.errorCode, rule.message ?? message, rule.httpStatus ?? status);
}
