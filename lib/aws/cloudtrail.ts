import "server-only";
import { CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { z } from "zod";
import { awsClientOptions } from "./client-options";
import { processSingleton } from "../process-singleton";

/** A KMS call as the key service logged it, in the app's own terms. */
export interface KmsTrailEvent {
  eventId: string;
  requestId: string;
  eventName: string;
  eventTime: Date;
  principalArn: string | null;
  sourceIdentity: string | null;
  sourceIp: string | null;
  errorCode: string | null;
  /** From the request's encryption context (never secret): which exchange, which organizations, what for. */
  exchangeId: string | null;
  senderOrg: string | null;
  recipientOrg: string | null;
  purpose: string | null;
}

// Only the fields used here; CloudTrail records carry many more.
const TrailRecordSchema = z.object({
  requestID: z.string(),
  eventID: z.string(),
  eventName: z.string(),
  eventTime: z.string(),
  sourceIPAddress: z.string().optional(),
  errorCode: z.string().optional(),
  userIdentity: z.object({ arn: z.string().optional(), sessionContext: z.object({ sourceIdentity: z.string().optional() }).optional() }).optional(),
  requestParameters: z.object({ encryptionContext: z.record(z.string(), z.string()).optional() }).nullable().optional(),
});

function cloudTrail(): CloudTrailClient {
  // The app's base credentials (standard chain), which may read the account's event history and nothing more.
  return processSingleton("cloudtrail-client", () => new CloudTrailClient(awsClientOptions(3)));
}

function toKmsTrailEvent(json: string): KmsTrailEvent | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return null;
  }
  const record = TrailRecordSchema.safeParse(parsed);
  if (!record.success) return null;
  const { data } = record;
  const context = data.requestParameters?.encryptionContext ?? {};
  return {
    eventId: data.eventID,
    requestId: data.requestID,
    eventName: data.eventName,
    eventTime: new Date(data.eventTime),
    principalArn: data.userIdentity?.arn ?? null,
    sourceIdentity: data.userIdentity?.sessionContext?.sourceIdentity ?? null,
    sourceIp: data.sourceIPAddress ?? null,
    errorCode: data.errorCode ?? null,
    exchangeId: context["exchange-id"] ?? null,
    senderOrg: context["sender-org"] ?? null,
    recipientOrg: context["recipient-org"] ?? null,
    purpose: context.purpose ?? null,
  };
}

/**
 * Every logged call on `keyArn` between `from` and `to`, newest first, up to `limit` events (CloudTrail answers
 * LookupEvents with pages of 50 at about two requests per second per account, so callers keep windows small).
 */
export async function lookupKeyEvents(keyArn: string, from: Date, to: Date, limit = 1000): Promise<KmsTrailEvent[]> {
  const events: KmsTrailEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await cloudTrail().send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "ResourceName", AttributeValue: keyArn }], StartTime: from, EndTime: to, MaxResults: 50, NextToken: nextToken }),
    );
    for (const event of page.Events ?? []) {
      const parsed = event.CloudTrailEvent ? toKmsTrailEvent(event.CloudTrailEvent) : null;
      if (parsed) events.push(parsed);
    }
    nextToken = page.NextToken;
  } while (nextToken && events.length < limit);
  return events.slice(0, limit);
}
