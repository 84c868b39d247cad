import { AwsError, type CallInfo, type HandlerResult } from "../contracts";
import type { MasterKey } from "../state/master-key";
import type { CallerDirectory } from "./callers";
import { issueSession } from "./issue-session";
import { checkMfa } from "./mfa";
import { type QueryParams, checkRange } from "./params";
import { isoSeconds } from "./xml";

/** Temporary credentials for an IAM user, optionally carrying MFA; AWS requires no permission for this call. */
export function getSessionToken(params: QueryParams, call: CallInfo, directory: CallerDirectory, masterKey: MasterKey): HandlerResult {
  const { caller, now } = call;
  if (caller.type !== "IAMUser" || caller.sessionIssuedAt !== undefined) {
    throw new AwsError("AccessDenied", "Cannot call GetSessionToken with session credentials", 403);
  }
  const durationSeconds = params.integer("DurationSeconds", 43200);
  checkRange("DurationSeconds", durationSeconds, 900, 129600);
  const mfaAt = checkMfa(params, caller, directory, now);
  const issued = issueSession(masterKey, {
    kind: "user",
    account: caller.accountId,
    name: caller.userName as string,
    issuedAt: now.getTime(),
    expiresAt: now.getTime() + durationSeconds * 1000,
    ...(mfaAt !== undefined && { mfaAt: mfaAt.getTime() }),
    tags: {},
    transitiveTagKeys: [],
    chained: false,
  });
  return {
    output: { Credentials: issued.credentials },
    requestParameters: {
      ...(params.get("DurationSeconds") !== undefined && { durationSeconds }),
      ...(params.get("SerialNumber") !== undefined && { serialNumber: params.get("SerialNumber") }),
    },
    responseElements: { credentials: { accessKeyId: issued.credentials.AccessKeyId, expiration: isoSeconds(issued.credentials.Expiration) } },
  };
}
