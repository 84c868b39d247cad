import type { Caller, PolicyStatement } from "../contracts";

/**
 * How a resource-based policy names the caller, strongest first. The kind decides which other policies
 * still have to allow (IAM User Guide, "Policy evaluation logic", resource-based policies table):
 * - "session": the assumed-role session ARN itself; no identity or session policy is needed.
 * - "entity": the user ARN, the role ARN (matching every session of it) or "*"; identity policies are
 *   not needed in the same account, but a session policy still limits it.
 * - "account": the account (id or :root ARN); this delegates to the account's identity policies.
 */
export type PrincipalMatch = "session" | "entity" | "account";

const RANK: Record<PrincipalMatch, number> = { session: 3, entity: 2, account: 1 };

export function stronger(a: PrincipalMatch | null, b: PrincipalMatch | null): PrincipalMatch | null {
  if (!a) return b;
  if (!b) return a;
  return RANK[a] >= RANK[b] ? a : b;
}

const ROOT = /^arn:[^:]+:iam::(\d{12}):root$/;

function namesAccount(value: string, accountId: string): boolean {
  return value === accountId || ROOT.exec(value)?.[1] === accountId;
}

function* listed(principal: Record<string, string | string[]>): Generator<string> {
  // Only "AWS" principals can be our callers; "Service", "Federated" and "CanonicalUser" never are.
  const aws = principal.AWS;
  if (aws === undefined) return;
  if (typeof aws === "string") yield aws;
  else yield* aws;
}

function matchValue(value: string, caller: Caller): PrincipalMatch | null {
  if (value === "*") return "entity";
  if (caller.type === "AssumedRole" && value === caller.arn) return "session";
  // Role ARNs keep their path here (arn:aws:iam::1:role/path/name) while session ARNs drop it, so a
  // role is recognised through principalArn, never by rewriting the session ARN.
  if (value === caller.principalArn) return "entity";
  if (namesAccount(value, caller.accountId)) return "account";
  return null;
}

/**
 * AWS may check the account, then the user or role, then the session (IAM User Guide, "NotPrincipal"):
 * the caller escapes a NotPrincipal statement only when every one of those identities is listed.
 */
function isExcluded(notPrincipal: Record<string, string | string[]>, caller: Caller): boolean {
  const names = [...listed(notPrincipal)];
  if (names.includes("*")) return true;
  const account = names.some((n) => namesAccount(n, caller.accountId));
  const entity = names.includes(caller.principalArn);
  const session = caller.type !== "AssumedRole" || names.includes(caller.arn);
  return account && entity && session;
}

/** Does the statement's Principal (or NotPrincipal) cover the caller, and how? null: it does not apply. */
export function matchPrincipal(statement: PolicyStatement, caller: Caller | undefined): PrincipalMatch | null {
  if (!caller) return null;
  if (statement.Principal !== undefined) {
    if (statement.Principal === "*") return "entity";
    let best: PrincipalMatch | null = null;
    for (const value of listed(statement.Principal)) best = stronger(best, matchValue(value, caller));
    return best;
  }
  if (statement.NotPrincipal !== undefined) return isExcluded(statement.NotPrincipal, caller) ? null : "entity";
  return null;
}
