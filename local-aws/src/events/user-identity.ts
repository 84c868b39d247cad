import type { Caller } from "../contracts";

const iso = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, "Z");

// Callers are resolved once per credential and reused across requests, and so is their rendering.
const rendered = new WeakMap<Caller, Record<string, unknown>>();

/** CloudTrail's `userIdentity` for a caller; session tags are added under `sessionContext.sessionTags` so they stay findable. */
export function userIdentity(caller: Caller): Record<string, unknown> {
  let identity = rendered.get(caller);
  if (!identity) {
    identity = renderIdentity(caller);
    rendered.set(caller, identity);
  }
  return identity;
}

function renderIdentity(caller: Caller): Record<string, unknown> {
  const base = { type: caller.type, principalId: caller.userId, arn: caller.arn, accountId: caller.accountId, accessKeyId: caller.accessKeyId };
  const attributes = caller.sessionIssuedAt
    ? { creationDate: iso(caller.sessionIssuedAt), mfaAuthenticated: caller.mfaAuthenticated ? "true" : "false" }
    : undefined;
  if (caller.type === "IAMUser") {
    return { ...base, userName: caller.userName, ...(attributes && { sessionContext: { sessionIssuer: {}, attributes } }) };
  }
  return {
    ...base,
    sessionContext: {
      sessionIssuer: {
        type: "Role",
        principalId: caller.userId.split(":")[0],
        arn: caller.principalArn,
        accountId: caller.accountId,
        userName: caller.roleName,
      },
      attributes,
      ...(caller.sourceIdentity !== undefined && { sourceIdentity: caller.sourceIdentity }),
      ...(Object.keys(caller.sessionTags).length > 0 && { sessionTags: caller.sessionTags }),
    },
  };
}

/** What is known about a caller whose authentication failed: at most the access key id it claimed. */
export function unauthenticatedIdentity(accessKeyId: string | undefined): Record<string, unknown> {
  return { type: "Unknown", ...(accessKeyId !== undefined && { accessKeyId }) };
}
