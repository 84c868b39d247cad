import { AwsError, type Caller, type Tags } from "../contracts";
import { type QueryParams, validationError } from "./params";

const MAX_TAGS = 50;
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export interface SessionTagRequest {
  /** Inherited transitive tags and the tags this request passes. */
  tags: Tags;
  transitiveTagKeys: string[];
  /** Tags and transitive keys this request passes itself (for the event log). */
  requested: Array<{ key: string; value: string }>;
  requestedTransitive: string[];
}

/**
 * Session tags for AssumeRole: the request's `Tags` and `TransitiveTagKeys`, plus the transitive tags of a calling role
 * session, which a chained session carries and may not override.
 */
export function readSessionTags(params: QueryParams, caller: Caller): SessionTagRequest {
  const requested = params.tags("Tags");
  const requestedTransitive = params.list("TransitiveTagKeys");
  if (requested.length > MAX_TAGS) throw validationError("Tags", `[${requested.length} tags]`, `Member must have length less than or equal to ${MAX_TAGS}`);
  const seen = new Set<string>();
  for (const { key, value } of requested) {
    if (key.length < 1 || key.length > 128 || !TAG_CHARS.test(key)) throw validationError("Tags", key, "Tag keys must have length 1..128 and use letters, digits, spaces and _.:/=+-@");
    if (value.length > 256 || !TAG_CHARS.test(value)) throw validationError("Tags", value, "Tag values must have length 0..256 and use letters, digits, spaces and _.:/=+-@");
    if (seen.has(key.toLowerCase())) throw new AwsError("InvalidParameterValue", "Duplicate tag keys found. Please note that Tag keys are case insensitive.");
    seen.add(key.toLowerCase());
  }
  for (const key of requestedTransitive) {
    if (!seen.has(key.toLowerCase())) throw new AwsError("InvalidParameterValue", `The transitive tag key ${key} is not one of the session tags passed in the request.`);
  }
  const inherited = caller.type === "AssumedRole" ? caller.transitiveTagKeys.filter((key) => key in caller.sessionTags) : [];
  for (const key of inherited) {
    if (seen.has(key.toLowerCase())) throw new AwsError("InvalidParameterValue", `Cannot override the transitive session tag ${key} inherited from the calling session.`);
  }
  const tags: Tags = Object.fromEntries(inherited.map((key) => [key, caller.sessionTags[key] as string]));
  for (const { key, value } of requested) tags[key] = value;
  if (Object.keys(tags).length > MAX_TAGS) throw new AwsError("PackedPolicyTooLarge", "Packed size of session tags exceeds the limit: a session holds at most 50 tags.");
  return { tags, transitiveTagKeys: [...new Set([...inherited, ...requestedTransitive])], requested, requestedTransitive };
}
