import { AwsError, type CallInfo, type HandlerResult } from "../contracts";
import { authorize } from "../iam";
import { lookupEvents } from "./lookup-events";
import type { TrailStore } from "./trail-store";

export { TrailStore, type TrailRecord } from "./trail-store";

/** JSON 1.1 target prefixes for CloudTrail: the AWS CLI and older SDKs send the long form, SDK v3 the short one. */
export const CLOUDTRAIL_TARGET_PREFIXES = ["com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.", "CloudTrail_20131101."] as const;

export interface CloudTrailService {
  handle(operation: string, input: unknown, call: CallInfo): Promise<HandlerResult>;
}

/**
 * CloudTrail's event history, read-only: LookupEvents only. Events are account-wide and have no resource policy,
 * so the caller's identity (and session) policies alone must allow `cloudtrail:LookupEvents` on "*".
 */
export function createCloudTrailService(trail: TrailStore): CloudTrailService {
  return {
    async handle(operation, input, call) {
      if (operation !== "LookupEvents") throw new AwsError("UnknownOperationException", `local-aws CloudTrail does not support the operation ${operation}`);
      const decision = authorize({ call, action: "cloudtrail:LookupEvents", resource: "*", resourceAccountId: call.caller.accountId, context: {} });
      if (decision.decision !== "Allow") throw new AwsError("AccessDeniedException", decision.message);
      const output = lookupEvents(trail, input);
      return { output, requestParameters: isObject(input) ? { ...input, NextToken: undefined } : null, responseElements: null };
    },
  };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
