import type { CallInfo, ConditionContext } from "../contracts";
import { parseIp } from "./ip";

/** AWS writes times without milliseconds: 2024-05-01T12:00:00Z. */
function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function epochSeconds(date: Date): string {
  return String(Math.floor(date.getTime() / 1000));
}

/** A dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d; AWS shows them as plain IPv4. */
function sourceIp(address: string): string {
  const bytes = parseIp(address);
  return bytes && bytes.length === 4 && address.includes(":") ? bytes.join(".") : address;
}

/** aws:* keys for a call: aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:userid, aws:username (users), aws:PrincipalTag/<k>, aws:SourceIp, aws:UserAgent, aws:SecureTransport, aws:CurrentTime (ISO), aws:EpochTime, aws:MultiFactorAuthPresent (only present for temporary credentials, "true"/"false"; absent for long-term user keys — as AWS), aws:MultiFactorAuthAge (only when MFA was used), aws:SourceIdentity (when set), aws:RequestedRegion, aws:TokenIssueTime. */
export function globalConditionContext(call: CallInfo): ConditionContext {
  const { caller, now } = call;
  const context: ConditionContext = {
    "aws:PrincipalArn": [caller.principalArn],
    "aws:PrincipalAccount": [caller.accountId],
    "aws:PrincipalType": [caller.type === "IAMUser" ? "User" : "AssumedRole"],
    "aws:userid": [caller.userId],
    "aws:SourceIp": [sourceIp(call.sourceIp)],
    "aws:UserAgent": [call.userAgent],
    "aws:SecureTransport": [String(call.secureTransport)],
    "aws:CurrentTime": [isoSeconds(now)],
    "aws:EpochTime": [epochSeconds(now)],
    "aws:RequestedRegion": [call.region],
  };
  if (caller.type === "IAMUser") {
    context["aws:username"] = [caller.userName ?? caller.arn.slice(caller.arn.lastIndexOf("/") + 1)];
  }
  for (const [key, value] of Object.entries(caller.principalTags)) context[`aws:PrincipalTag/${key}`] = [value];
  // Present only for temporary credentials: long-term access keys carry neither key (IAM User Guide,
  // aws:MultiFactorAuthPresent and aws:TokenIssueTime).
  const temporary = caller.type === "AssumedRole" || caller.sessionIssuedAt !== undefined;
  if (temporary) context["aws:MultiFactorAuthPresent"] = [String(caller.mfaAuthenticated)];
  if (caller.mfaAuthenticated) {
    const provenAt = caller.mfaAuthenticatedAt ?? caller.sessionIssuedAt;
    if (provenAt) context["aws:MultiFactorAuthAge"] = [String(Math.max(0, Math.floor((now.getTime() - provenAt.getTime()) / 1000)))];
  }
  if (caller.sessionIssuedAt) context["aws:TokenIssueTime"] = [isoSeconds(caller.sessionIssuedAt)];
  if (caller.sourceIdentity !== undefined) context["aws:SourceIdentity"] = [caller.sourceIdentity];
  return context;
}
