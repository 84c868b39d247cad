import { randomUUID } from "node:crypto";
import type { HandlerResult } from "../contracts";

export type EventSource = "kms.amazonaws.com" | "sts.amazonaws.com" | "cloudtrail.amazonaws.com";

export interface EventFacts {
  eventSource: EventSource;
  eventName: string;
  eventTime: Date;
  region: string;
  sourceIp: string;
  userAgent: string;
  requestId: string;
  userIdentity: Record<string, unknown>;
  /** The account whose resources were touched; the caller's own account when no resource was. */
  recipientAccountId: string | undefined;
  result?: Pick<HandlerResult, "requestParameters" | "responseElements" | "resources">;
  error?: { code: string; message: string };
}

// CloudTrail marks calls that change nothing as read-only, cryptographic operations and AssumeRole included.
const READ_ONLY = /^(Describe|Get|List|Lookup|Generate|Encrypt|Decrypt|ReEncrypt|Verify|Sign|AssumeRole)/;

/** One CloudTrail-shaped record (eventVersion 1.08 fields), for one request. */
export function eventRecord(facts: EventFacts): Record<string, unknown> {
  return {
    eventVersion: "1.08",
    userIdentity: facts.userIdentity,
    eventTime: facts.eventTime.toISOString().replace(/\.\d{3}Z$/, "Z"),
    eventSource: facts.eventSource,
    eventName: facts.eventName,
    awsRegion: facts.region,
    sourceIPAddress: facts.sourceIp,
    userAgent: facts.userAgent,
    ...(facts.error && { errorCode: facts.error.code, errorMessage: facts.error.message }),
    requestParameters: facts.result?.requestParameters ?? null,
    responseElements: facts.error ? null : (facts.result?.responseElements ?? null),
    requestID: facts.requestId,
    eventID: randomUUID(),
    readOnly: READ_ONLY.test(facts.eventName),
    ...(facts.result?.resources && { resources: facts.result.resources }),
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: facts.recipientAccountId,
    eventCategory: "Management",
  };
}
