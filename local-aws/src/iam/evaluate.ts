import type { Caller, PolicyDocument, PolicyStatement } from "../contracts";
import { conditionsHold } from "./conditions";
import type { NormalizedContext } from "./context";
import { actionMatches, wildcardMatch } from "./match";
import { matchPrincipal, stronger, type PrincipalMatch } from "./principal";
import { substituteVariables } from "./variables";

export type PolicyKind = "identity" | "resource" | "session";

export interface EvaluationRequest {
  action: string;
  resource: string;
  context: NormalizedContext;
  principal?: Caller;
}

export interface DocumentResult {
  denied: boolean;
  /** How the strongest applicable Allow names the caller; identity and session policies count as "entity". */
  allowedAs: PrincipalMatch | null;
  denySids: string[];
  allowSids: string[];
}

function anyOf(list: string | string[], test: (value: string) => boolean): boolean {
  return typeof list === "string" ? test(list) : list.some(test);
}

function actionApplies(statement: PolicyStatement, action: string): boolean {
  if (statement.Action !== undefined) return anyOf(statement.Action, (p) => actionMatches(p, action));
  if (statement.NotAction !== undefined) return !anyOf(statement.NotAction, (p) => actionMatches(p, action));
  return false;
}

function resourceApplies(statement: PolicyStatement, resource: string, context: NormalizedContext, variables: boolean): boolean {
  const resolve = (pattern: string) => (variables ? substituteVariables(pattern, context) : pattern);
  if (statement.Resource !== undefined) {
    return anyOf(statement.Resource, (p) => {
      const pattern = resolve(p);
      return pattern !== null && wildcardMatch(pattern, resource);
    });
  }
  if (statement.NotResource !== undefined) {
    // An unresolvable variable invalidates the statement rather than widening NotResource.
    return !anyOf(statement.NotResource, (p) => {
      const pattern = resolve(p);
      return pattern === null || wildcardMatch(pattern, resource);
    });
  }
  // Role trust policies name no Resource: the role they are attached to is the resource.
  return true;
}

function statementsOf(doc: PolicyDocument): PolicyStatement[] {
  return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
}

export function evaluateDocument(doc: PolicyDocument, request: EvaluationRequest, kind: PolicyKind): DocumentResult {
  // Variables exist only in the 2012-10-17 policy language; older documents read ${...} literally.
  const variables = doc.Version === "2012-10-17";
  const result: DocumentResult = { denied: false, allowedAs: null, denySids: [], allowSids: [] };
  for (const statement of statementsOf(doc)) {
    if (!actionApplies(statement, request.action)) continue;
    if (!resourceApplies(statement, request.resource, request.context, variables)) continue;
    // Identity and session policies have no Principal: they apply to the caller they are attached to.
    const named = kind === "resource" ? matchPrincipal(statement, request.principal) : "entity";
    if (!named) continue;
    if (!conditionsHold(statement.Condition, request.context, variables)) continue;
    if (statement.Effect === "Deny") {
      result.denied = true;
      if (statement.Sid) result.denySids.push(statement.Sid);
    } else {
      result.allowedAs = stronger(result.allowedAs, named);
      if (statement.Sid) result.allowSids.push(statement.Sid);
    }
  }
  return result;
}
