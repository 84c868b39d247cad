import { AwsError, type CallInfo, type ConditionContext, type PolicyDocument } from "../contracts";
import { authorize } from "../iam";
import { accountRootArn } from "../world/arns";
import { PolicyDocumentSchema } from "../world/schema";
import { callerContext } from "./context-keys";

export const POLICY_NAME = "default";
const MAX_POLICY_LENGTH = 32_768;
// API reference, PutKeyPolicy Policy: printable ASCII, Latin-1 Supplement, tab, line feed, carriage return.
const POLICY_CHARACTERS = /^[\t\n\r\u0020-\u00ff]*$/;

/** The policy KMS gives a key created without one: the account's IAM policies decide (KMS Developer Guide, "Default key policy"). */
export function defaultKeyPolicy(accountId: string): string {
  const policy = {
    Version: "2012-10-17",
    Id: "key-default-1",
    Statement: [{ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: accountRootArn(accountId) }, Action: "kms:*", Resource: "*" }],
  };
  return JSON.stringify(policy, null, 2);
}

function malformed(message: string): AwsError {
  return new AwsError("MalformedPolicyDocumentException", message);
}

export function parseKeyPolicy(text: string): PolicyDocument {
  if (text.length > MAX_POLICY_LENGTH) throw new AwsError("LimitExceededException", `The key policy exceeds ${MAX_POLICY_LENGTH} characters`);
  if (!POLICY_CHARACTERS.test(text)) throw malformed("The key policy contains characters that key policies cannot hold");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw malformed("The key policy is not valid JSON");
  }
  const parsed = PolicyDocumentSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw malformed(`The key policy is not valid: ${issue ? `${issue.path.join(".") || "document"}: ${issue.message}` : "unknown problem"}`);
  }
  const statements = Array.isArray(parsed.data.Statement) ? parsed.data.Statement : [parsed.data.Statement];
  if (statements.some((statement) => statement.Principal === undefined && statement.NotPrincipal === undefined)) {
    throw malformed("Policy contains a statement with no principal.");
  }
  return parsed.data;
}

/**
 * The key policy lockout safety check (API reference, PutKeyPolicy and CreateKey): unless bypassed, the
 * new policy must still let the caller call PutKeyPolicy on the key, or nobody could repair it later.
 */
export function checkLockoutSafety(call: CallInfo, keyArn: string, keyAccountId: string, policy: PolicyDocument, context: ConditionContext): void {
  const result = authorize({
    call,
    action: "kms:PutKeyPolicy",
    resource: keyArn,
    resourceAccountId: keyAccountId,
    context: { ...callerContext(call.caller), ...context },
    resourcePolicy: policy,
  });
  if (result.decision !== "Allow") throw malformed("The new key policy will not allow you to update the key policy in the future.");
}
