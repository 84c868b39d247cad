import type { Caller, ConditionContext, Decision, PolicyDocument } from "../contracts";
import { normalizeContext } from "./context";
import { evaluateDocument } from "./evaluate";

export { authorize, type AuthorizationInput, type AuthorizationResult } from "./authorize";
export { globalConditionContext } from "./global-context";

export interface PolicyRequest {
  action: string;            // "kms:Decrypt" (match case-insensitively, wildcards * and ?)
  resource: string;          // ARN; wildcards in policy Resource match it
  context: ConditionContext; // condition key -> string values; keys case-insensitive
  principal?: Caller;        // needed to match Principal/NotPrincipal in resource-based policies
}

/**
 * One policy document on its own: ExplicitDeny if an applicable Deny matches, Allow if an Allow does,
 * else ImplicitDeny. matchedSids names the statements (those with a Sid) behind that decision.
 */
export function evaluatePolicy(doc: PolicyDocument, req: PolicyRequest, kind: "identity" | "resource" | "session"): { decision: Decision; matchedSids: string[] } {
  const result = evaluateDocument(doc, { ...req, context: normalizeContext(req.context) }, kind);
  if (result.denied) return { decision: "ExplicitDeny", matchedSids: result.denySids };
  if (result.allowedAs) return { decision: "Allow", matchedSids: result.allowSids };
  return { decision: "ImplicitDeny", matchedSids: [] };
}
