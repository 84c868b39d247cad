import { AwsError, type PolicyDocument, type Tags } from "../contracts";
import { PolicyDocumentSchema, type ParsedPolicyDocument } from "../world/schema";
import { type QueryParams, validationError } from "./params";

const MAX_POLICY_CHARS = 2048;
/** AWS compresses policies and tags into a packed form of opaque size; this approximates its percentage from plain lengths. */
const PACKED_BUDGET = 4096;

export function readSessionPolicy(params: QueryParams): ParsedPolicyDocument | undefined {
  const text = params.get("Policy");
  if (text === undefined) return undefined;
  if (text.length < 1) throw validationError("Policy", text, "Member must have length greater than or equal to 1");
  if (text.length > MAX_POLICY_CHARS) throw validationError("Policy", "(policy)", `Member must have length less than or equal to ${MAX_POLICY_CHARS}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AwsError("MalformedPolicyDocument", "The policy is not in the valid JSON format.");
  }
  const parsed = PolicyDocumentSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AwsError("MalformedPolicyDocument", `Syntax errors in policy: ${issue ? `${issue.path.join(".")}: ${issue.message}` : "invalid"}`);
  }
  return parsed.data;
}

export function packedPolicySize(policy: PolicyDocument | undefined, tags: Tags): number {
  const policyChars = policy ? JSON.stringify(policy).length : 0;
  const tagChars = Object.entries(tags).reduce((sum, [key, value]) => sum + key.length + value.length, 0);
  const percent = Math.ceil((100 * (policyChars + tagChars)) / PACKED_BUDGET);
  if (percent > 100) throw new AwsError("PackedPolicyTooLarge", `Packed size of session policy and session tags (${percent}%) exceeds the limit.`);
  return percent;
}
