import type { CallInfo, ConditionContext } from "../contracts";
import { parseIp } from "./ip";

/** AWS writes times without milliseconds: 2024-05-01T12:00:00Z. */
function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

function epochSeconds(date: Date): string {
  return String(Math.floor(date.getTime() / 1000));
}

/** A dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d; AWS shows them as plain IPv4. */
function sourceIp(address: string): string {
  const bytes = parseIp(address);
  return bytes && bytes.length === 4 && address.includes(":") ? bytes.join(".") : address;
}

/** Hands each aws:* key of the call to `put`, so that authorize can build its lookup map without an intermediate object. */
export function forEachGlobalKey(call: CallInfo, put: (key: string, values: string[]) => void): void {
  const { caller, now } = call;
  put("aws:PrincipalArn", [caller.principalArn]);
  put("aws:PrincipalAccount", [caller.accountId]);
  put("aws:PrincipalType", [caller.type === "IAMUser" ? "User" : "AssumedRole"]);
  put("aws:userid", [caller.userId]);
  put("aws:SourceIp", [sourceIp(call.sourceIp)]);
  put("aws:UserAgent", [call.userAgent]);
  put("aws:SecureTransport", [String(call.secureTransport)]);
  put("aws:CurrentTime", [isoSeconds(now)]);
  put("aws:EpochTime", [epochSeconds(now)]);
  put("aws:RequestedRegion", [call.region]);
  if (caller.type === "IAMUser") put("aws:username", [caller.userName ?? caller.arn.slice(caller.arn.lastIndexOf("/") + 1)]);
  for (const [key, value] of Object.entries(caller.principalTags)) put(`aws:PrincipalTag/${key}`, [value]);
  // Present only for temporary credentials: long-term access keys carry neither key (IAM User Guide,
  // aws:MultiFactorAuthPresent and aws:TokenIssueTime).
  const temporary = caller.type === "AssumedRole" || caller.sessionIssuedAt !== undefined;
  if (temporary) put("aws:MultiFactorAuthPresent", [String(caller.mfaAuthenticated)]);
  if (caller.mfaAuthenticated) {
    const provenAt = caller.mfaAuthenticatedAt ?? caller.sessionIssuedAt;
    if (provenAt) put("aws:MultiFactorAuthAge", [String(Math.max(0, Math.floor((now.getTime() - provenAt.getTime()) / 1000)))]);
  }
  if (caller.sessionIssuedAt) put("aws:TokenIssueTime", [isoSeconds(caller.sessionIssuedAt)]);
  if (caller.sourceIdentity !== undefined) put("aws:SourceIdentity", [caller.sourceIdentity]);
}

/** aws:* keys for a call: aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:userid, aws:username (users), aws:PrincipalTag/<k>, aws:SourceIp, aws:UserAgent, aws:SecureTransport, aws:CurrentTime (ISO), aws:EpochTime, aws:MultiFactorAuthPresent (only present for temporary credentials, "true"/"false"; absent for long-term user keys — as AWS), aws:MultiFactorAuthAge (only when MFA was used), aws:SourceIdentity (when set), aws:RequestedRegion, aws:TokenIssueTime. */
export function globalConditionContext(call: CallInfo): ConditionContext {
  const context: ConditionContext = {};
  forEachGlobalKey(call, (key, values) => {
    context[key] = values;
  });
  return context;
}
