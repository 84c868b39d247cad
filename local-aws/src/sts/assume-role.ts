import { AwsError, type CallInfo, type ConditionContext, type HandlerResult } from "../contracts";
import { withCallDetails } from "../events/failed-call";
import { authorize } from "../iam";
import type { MasterKey } from "../state/master-key";
import { roleArn as arnOfRole } from "../world/arns";
import type { CallerDirectory } from "./callers";
import { uniqueId } from "./ids";
import { issueSession } from "./issue-session";
import { checkMfa } from "./mfa";
import { type QueryParams, checkRange, checkStsName, validationError } from "./params";
import { packedPolicySize, readSessionPolicy } from "./session-policy";
import { readSessionTags } from "./session-tags";
import { isoSeconds } from "./xml";

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]{1,64})$/;
const CHAINED_MAX_SECONDS = 3600;

function readDuration(params: QueryParams, maxSessionDuration: number, chained: boolean): number {
  const seconds = params.integer("DurationSeconds", 3600);
  checkRange("DurationSeconds", seconds, 900, 43200);
  if (chained && seconds > CHAINED_MAX_SECONDS) {
    throw new AwsError("ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
  }
  if (seconds > maxSessionDuration) throw new AwsError("ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
  return seconds;
}

function readSourceIdentity(params: QueryParams, inherited: string | undefined): string | undefined {
  const requested = params.get("SourceIdentity");
  checkStsName("SourceIdentity", requested, false);
  if (requested?.toLowerCase().startsWith("aws:")) throw validationError("SourceIdentity", requested, "Member must not begin with aws:");
  if (inherited !== undefined && requested !== undefined && requested !== inherited) {
    throw new AwsError("ValidationError", `SourceIdentity cannot be changed once set: the calling session's source identity is ${inherited}.`);
  }
  return requested ?? inherited;
}

export function assumeRole(params: QueryParams, call: CallInfo, directory: CallerDirectory, masterKey: MasterKey): HandlerResult {
  const { caller, now } = call;
  const roleArnParam = params.get("RoleArn");
  if (roleArnParam === undefined) throw validationError("RoleArn", null, "Member must not be null");
  if (roleArnParam.length < 20 || roleArnParam.length > 2048) throw validationError("RoleArn", roleArnParam, "Member must have length between 20 and 2048");
  const roleSessionName = params.get("RoleSessionName");
  checkStsName("RoleSessionName", roleSessionName, true);
  const externalId = params.get("ExternalId");
  if (externalId !== undefined && (externalId.length < 2 || externalId.length > 1224 || !/^[\w+=,.@:/-]*$/.test(externalId))) {
    throw validationError("ExternalId", externalId, "Member must have length between 2 and 1224 and satisfy regular expression pattern: [\\w+=,.@:\\/-]*");
  }
  const policy = readSessionPolicy(params);
  const tagRequest = readSessionTags(params, caller);
  const sourceIdentity = readSourceIdentity(params, caller.sourceIdentity);
  const mfaAt = checkMfa(params, caller, directory, now) ?? caller.mfaAuthenticatedAt;
  const chained = caller.type === "AssumedRole";

  const requestParameters: Record<string, unknown> = {
    roleArn: roleArnParam,
    roleSessionName,
    ...(params.get("DurationSeconds") !== undefined && { durationSeconds: Number(params.get("DurationSeconds")) }),
    ...(externalId !== undefined && { externalId }),
    ...(tagRequest.requested.length > 0 && { tags: tagRequest.requested }),
    ...(tagRequest.requestedTransitive.length > 0 && { transitiveTagKeys: tagRequest.requestedTransitive }),
    ...(params.get("SourceIdentity") !== undefined && { sourceIdentity: params.get("SourceIdentity") }),
    ...(params.get("SerialNumber") !== undefined && { serialNumber: params.get("SerialNumber") }),
    ...(policy !== undefined && { policy: params.get("Policy") }),
  };

  const match = roleArnParam.match(ROLE_ARN);
  const role = match ? directory.findRole(match[1] as string, match[2] as string) : undefined;
  const notAuthorized = `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArnParam}`;
  if (!role) throw withCallDetails(new AwsError("AccessDenied", notAuthorized, 403), { requestParameters });
  const durationSeconds = readDuration(params, role.maxSessionDuration, chained);
  const roleArn = arnOfRole(role);

  const context: ConditionContext = {
    "sts:RoleSessionName": [roleSessionName as string],
    ...(externalId !== undefined && { "sts:ExternalId": [externalId] }),
    ...(sourceIdentity !== undefined && { "sts:SourceIdentity": [sourceIdentity] }),
    ...(tagRequest.transitiveTagKeys.length > 0 && { "sts:TransitiveTagKeys": tagRequest.transitiveTagKeys }),
  };
  // MFA proven in this very request counts for the trust policy, even when the caller signs with long-term keys.
  if (mfaAt) {
    context["aws:MultiFactorAuthPresent"] = ["true"];
    context["aws:MultiFactorAuthAge"] = [String(Math.floor((now.getTime() - mfaAt.getTime()) / 1000))];
  }
  const tagKeys = Object.keys(tagRequest.tags);
  if (tagKeys.length > 0) {
    context["aws:TagKeys"] = tagKeys;
    for (const key of tagKeys) context[`aws:RequestTag/${key}`] = [tagRequest.tags[key] as string];
  }
  const actions = ["sts:AssumeRole", ...(tagKeys.length > 0 ? ["sts:TagSession"] : []), ...(sourceIdentity !== undefined ? ["sts:SetSourceIdentity"] : [])];
  const resources = [{ ARN: roleArn, accountId: role.account, type: "AWS::IAM::Role" }];
  for (const action of actions) {
    const result = authorize({ call, action, resource: roleArn, resourceAccountId: role.account, context, resourcePolicy: role.trustPolicy });
    if (result.decision !== "Allow") throw withCallDetails(new AwsError("AccessDenied", result.message, 403), { requestParameters, resources });
  }

  const packed = packedPolicySize(policy, tagRequest.tags);
  const issued = issueSession(masterKey, {
    kind: "role",
    account: role.account,
    name: role.name,
    roleSessionName,
    issuedAt: now.getTime(),
    expiresAt: now.getTime() + durationSeconds * 1000,
    ...(mfaAt !== undefined && { mfaAt: mfaAt.getTime() }),
    tags: tagRequest.tags,
    transitiveTagKeys: tagRequest.transitiveTagKeys,
    ...(sourceIdentity !== undefined && { sourceIdentity }),
    ...(policy !== undefined && { policy }),
    chained,
  });
  const assumedRoleUser = {
    AssumedRoleId: `${uniqueId("AROA", roleArn)}:${roleSessionName}`,
    Arn: `arn:aws:sts::${role.account}:assumed-role/${role.name}/${roleSessionName}`,
  };
  return {
    output: {
      Credentials: issued.credentials,
      AssumedRoleUser: assumedRoleUser,
      PackedPolicySize: packed,
      ...(sourceIdentity !== undefined && { SourceIdentity: sourceIdentity }),
    },
    requestParameters,
    // Like CloudTrail: the new access key id and expiry, never the secret or the session token.
    responseElements: {
      credentials: { accessKeyId: issued.credentials.AccessKeyId, expiration: isoSeconds(issued.credentials.Expiration) },
      assumedRoleUser: { assumedRoleId: assumedRoleUser.AssumedRoleId, arn: assumedRoleUser.Arn },
      packedPolicySize: packed,
      ...(sourceIdentity !== undefined && { sourceIdentity }),
    },
    resources,
  };
}
