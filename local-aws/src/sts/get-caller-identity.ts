import type { CallInfo, HandlerResult } from "../contracts";

/** Needs no permission, as in AWS: anyone holding valid credentials may ask who they are. */
export function getCallerIdentity(call: CallInfo): HandlerResult {
  const { caller } = call;
  return { output: { UserId: caller.userId, Account: caller.accountId, Arn: caller.arn }, requestParameters: null, responseElements: null };
}
