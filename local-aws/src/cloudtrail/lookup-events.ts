import { AwsError } from "../contracts";
import type { TrailRecord, TrailStore } from "./trail-store";

const ATTRIBUTE_KEYS = ["EventId", "EventName", "ReadOnly", "Username", "ResourceType", "ResourceName", "EventSource", "AccessKeyId"] as const;
type AttributeKey = (typeof ATTRIBUTE_KEYS)[number];

interface LookupInput {
  attribute: { key: AttributeKey; value: string } | null;
  start: number;
  end: number;
  maxResults: number;
  beforePosition: number;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** JSON 1.1 timestamps are epoch seconds (the SDKs send fractional numbers). */
function epochMs(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) throw new AwsError("SerializationException", `${field} must be a timestamp`);
  return value * 1000;
}

function parseInput(input: unknown): LookupInput {
  const body = isRecord(input) ? input : {};
  const attributes = body.LookupAttributes;
  let attribute: LookupInput["attribute"] = null;
  if (attributes !== undefined) {
    if (!Array.isArray(attributes) || attributes.length > 1) throw new AwsError("InvalidLookupAttributesException", "You can specify at most one lookup attribute.");
    const [first] = attributes as unknown[];
    if (first !== undefined) {
      const key = isRecord(first) ? first.AttributeKey : undefined;
      const value = isRecord(first) ? first.AttributeValue : undefined;
      if (typeof key !== "string" || !(ATTRIBUTE_KEYS as readonly string[]).includes(key) || typeof value !== "string" || value.length === 0 || value.length > 2000) {
        throw new AwsError("InvalidLookupAttributesException", `AttributeKey must be one of ${ATTRIBUTE_KEYS.join(", ")} and AttributeValue 1-2000 characters.`);
      }
      attribute = { key: key as AttributeKey, value };
    }
  }
  const start = epochMs(body.StartTime, "StartTime") ?? Number.NEGATIVE_INFINITY;
  const end = epochMs(body.EndTime, "EndTime") ?? Number.POSITIVE_INFINITY;
  if (start > end) throw new AwsError("InvalidTimeRangeException", "Start time must be before end time.");
  const maxResults = body.MaxResults ?? 50;
  if (typeof maxResults !== "number" || !Number.isInteger(maxResults) || maxResults < 1 || maxResults > 50) throw new AwsError("InvalidMaxResultsException", "MaxResults must be 1-50.");
  let beforePosition = Number.POSITIVE_INFINITY;
  if (body.NextToken !== undefined) {
    const decoded = typeof body.NextToken === "string" ? Number(Buffer.from(body.NextToken, "base64url").toString("utf8")) : Number.NaN;
    if (!Number.isInteger(decoded) || decoded < 0) throw new AwsError("InvalidNextTokenException", "The NextToken is not valid.");
    beforePosition = decoded;
  }
  return { attribute, start, end, maxResults, beforePosition };
}

/** LookupEvents' `Username`: the IAM user's name, or the role session's name. */
function usernameOf(record: TrailRecord): string | undefined {
  const identity = isRecord(record.userIdentity) ? record.userIdentity : {};
  if (typeof identity.userName === "string") return identity.userName;
  const arn = typeof identity.arn === "string" ? identity.arn : "";
  return arn.includes(":assumed-role/") ? arn.split("/").pop() : undefined;
}

function resourcesOf(record: TrailRecord): Array<{ ResourceType: string; ResourceName: string }> {
  const resources = Array.isArray(record.resources) ? record.resources : [];
  return resources.filter(isRecord).map((resource) => ({ ResourceType: String(resource.type), ResourceName: String(resource.ARN) }));
}

function matches(record: TrailRecord, attribute: LookupInput["attribute"]): boolean {
  if (!attribute) return true;
  const { key, value } = attribute;
  const identity = isRecord(record.userIdentity) ? record.userIdentity : {};
  switch (key) {
    case "EventId":
      return record.eventID === value;
    case "EventName":
      return record.eventName === value;
    case "ReadOnly":
      return String(record.readOnly) === value;
    case "Username":
      return usernameOf(record) === value;
    case "ResourceType":
      return resourcesOf(record).some((resource) => resource.ResourceType === value);
    case "ResourceName":
      return resourcesOf(record).some((resource) => resource.ResourceName === value);
    case "EventSource":
      return record.eventSource === value;
    case "AccessKeyId":
      return identity.accessKeyId === value;
  }
}

/**
 * CloudTrail's LookupEvents over the event log: newest first, one lookup attribute, a time range, pages of at most
 * 50 with an opaque NextToken. Each event carries the full record as the `CloudTrailEvent` JSON string, as AWS does.
 */
export function lookupEvents(trail: TrailStore, input: unknown): Record<string, unknown> {
  const query = parseInput(input);
  const events: Array<Record<string, unknown>> = [];
  let lastPosition: number | null = null;
  let more = false;
  for (const { position, record } of trail.newestFirst(query.beforePosition)) {
    const time = Date.parse(record.eventTime);
    if (time > query.end) continue;
    if (time < query.start) break;
    if (!matches(record, query.attribute)) continue;
    if (events.length === query.maxResults) {
      more = true;
      break;
    }
    const identity = isRecord(record.userIdentity) ? record.userIdentity : {};
    events.push({
      EventId: record.eventID,
      EventName: record.eventName,
      ReadOnly: String(record.readOnly ?? false),
      ...(typeof identity.accessKeyId === "string" && { AccessKeyId: identity.accessKeyId }),
      EventTime: time / 1000,
      EventSource: record.eventSource,
      ...(usernameOf(record) !== undefined && { Username: usernameOf(record) }),
      Resources: resourcesOf(record),
      CloudTrailEvent: JSON.stringify(record),
    });
    lastPosition = position;
  }
  return { Events: events, ...(more && lastPosition !== null && { NextToken: Buffer.from(String(lastPosition)).toString("base64url") }) };
}
