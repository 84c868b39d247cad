import type { CallInfo, ConditionContext, Decision, PolicyDocument } from "../contracts";
import { normalizeContext } from "./context";
import { evaluateDocument, type DocumentResult, type EvaluationRequest } from "./evaluate";
import { forEachGlobalKey } from "./global-context";

export interface AuthorizationInput {
  call: CallInfo;
  action: string;
  resource: string;
  resourceAccountId: string;
  /** service-specific keys (kms:EncryptionContext:*, kms:CallerAccount, sts:ExternalId, aws:RequestTag/*, aws:TagKeys, ...), merged over the global ones */
  context: ConditionContext;
  /** key policy or role trust policy; undefined for identity-only actions */
  resourcePolicy?: PolicyDocument;
  /** KMS only: true when a grant (already matched by the caller: grantee, operation, constraints) allows this */
  grantAllows?: boolean;
  /** KMS keys: a resource policy Principal of the account root (arn:aws:iam::ACCT:root or "ACCT") delegates to that account's IAM policies, as KMS does */
}

export interface AuthorizationResult {
  decision: Decision;
  /**
   * Allow: "resource-policy-allow", "identity-policy-allow", "grant-allow", "cross-account-allow".
   * Deny: "<identity|resource|session>-policy-<explicit-deny|no-allow>".
   */
  reason: string;
  /** AWS's AccessDenied wording; empty when allowed. */
  message: string;
}

type PolicyType = "identity" | "resource" | "session";

const POLICY_NAME: Record<PolicyType, string> = {
  identity: "an identity-based policy",
  resource: "a resource-based policy",
  session: "a session policy",
};

const NO_POLICY_NAME: Record<PolicyType, string> = {
  identity: "identity-based policy",
  resource: "resource-based policy",
  session: "session policy",
};

function refuse(input: AuthorizationInput, decision: "ExplicitDeny" | "ImplicitDeny", policy: PolicyType): AuthorizationResult {
  const { action, resource } = input;
  const base = `User: ${input.call.caller.arn} is not authorized to perform: ${action} on resource: ${resource}`;
  const explicit = decision === "ExplicitDeny";
  const reason = `${policy}-policy-${explicit ? "explicit-deny" : "no-allow"}`;
  // STS's AccessDenied names no policy type, as AWS's AssumeRole errors do not.
  if (action.toLowerCase().startsWith("sts:")) return { decision, reason, message: base };
  const why = explicit ? `with an explicit deny in ${POLICY_NAME[policy]}` : `because no ${NO_POLICY_NAME[policy]} allows the ${action} action`;
  return { decision, reason, message: `${base} ${why}` };
}

function allow(reason: string): AuthorizationResult {
  return { decision: "Allow", reason, message: "" };
}

function combine(results: DocumentResult[]): { denied: boolean; allowed: boolean } {
  return { denied: results.some((r) => r.denied), allowed: results.some((r) => r.allowedAs !== null) };
}

/**
 * AWS's decision across identity, resource (key or trust) and session policies and KMS grants
 * (IAM User Guide, "Policy evaluation logic" and "Cross-account policy evaluation logic"; KMS Developer
 * Guide, "Key policies"). A key or trust policy must allow the caller itself, or delegate to its account,
 * before identity policies count: IAM policies alone never open a key or a role.
 */
export function authorize(input: AuthorizationInput): AuthorizationResult {
  const { caller } = input.call;
  // Service keys replace global keys of the same name, whatever their case.
  const context = new Map<string, readonly string[]>();
  forEachGlobalKey(input.call, (key, values) => context.set(key.toLowerCase(), values));
  for (const [key, values] of normalizeContext(input.context)) context.set(key, values);
  const request: EvaluationRequest = { action: input.action, resource: input.resource, context, principal: caller };
  const identity = combine(caller.identityPolicies.map((doc) => evaluateDocument(doc, request, "identity")));
  const session = caller.sessionPolicy ? evaluateDocument(caller.sessionPolicy, request, "session") : null;
  const resource = input.resourcePolicy ? evaluateDocument(input.resourcePolicy, request, "resource") : null;

  if (resource?.denied) return refuse(input, "ExplicitDeny", "resource");
  if (identity.denied) return refuse(input, "ExplicitDeny", "identity");
  if (session?.denied) return refuse(input, "ExplicitDeny", "session");

  const sessionAllows = session === null || session.allowedAs !== null;
  const grant = input.grantAllows === true;
  const sameAccount = caller.accountId === input.resourceAccountId;

  if (!resource && !grant) {
    if (!identity.allowed) return refuse(input, "ImplicitDeny", "identity");
    if (!sessionAllows) return refuse(input, "ImplicitDeny", "session");
    // Without a resource policy nothing lets identity policies reach into another account.
    if (!sameAccount) return refuse(input, "ImplicitDeny", "resource");
    return allow("identity-policy-allow");
  }

  const named = resource?.allowedAs ?? null;
  if (sameAccount) {
    // Granted to the session itself: no identity or session policy is consulted.
    if (named === "session") return allow("resource-policy-allow");
    // Granted to the user or role (or a grant to it): identity policies are not needed, but a session
    // policy limits what the role's sessions can do with it.
    if (named === "entity" || grant) {
      if (!sessionAllows) return refuse(input, "ImplicitDeny", "session");
      return allow(named === "entity" ? "resource-policy-allow" : "grant-allow");
    }
    if (named === "account") {
      if (!identity.allowed) return refuse(input, "ImplicitDeny", "identity");
      if (!sessionAllows) return refuse(input, "ImplicitDeny", "session");
      return allow("identity-policy-allow");
    }
    return refuse(input, "ImplicitDeny", "resource");
  }

  // Cross-account: the caller's own account must allow as well, whatever the resource policy names.
  // A grant stands in for both (KMS Developer Guide: external users need IAM policies "or use grants").
  if (grant) {
    if (!sessionAllows) return refuse(input, "ImplicitDeny", "session");
    return allow("grant-allow");
  }
  if (!identity.allowed) return refuse(input, "ImplicitDeny", "identity");
  if (!sessionAllows) return refuse(input, "ImplicitDeny", "session");
  if (!named) return refuse(input, "ImplicitDeny", "resource");
  return allow("cross-account-allow");
}
