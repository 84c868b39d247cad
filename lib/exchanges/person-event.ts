import "server-only";
import type { AuditAction, AuditEventInput, AuditOutcome } from "../audit";
import { auditActorOf, auditClientOf, type Actor } from "../auth";
import type { KmsSession } from "../aws";
import { requestIdsOf } from "./acting-role";

export interface PersonEventFacts {
  outcome?: AuditOutcome;
  reason?: string;
  /** The role session the work used: its STS and KMS request ids tie the event to the key service's own log. */
  session?: KmsSession;
  /** Request ids of earlier calls the event also stands for (the parts' data keys, a note sealed before). */
  requestIds?: Array<string | undefined>;
  details?: AuditEventInput["details"];
}

/**
 * The audit event for something a person did to an exchange or a link: who, from where, to what, which
 * organizations may see it, and the AWS calls behind it. One shape for every such event, so none forgets a field.
 */
export function personEvent(actor: Actor, action: AuditAction, target: AuditEventInput["target"], partyOrgs: string[] | undefined, facts: PersonEventFacts = {}): AuditEventInput {
  const requestIds = [...(facts.requestIds ?? []), ...requestIdsOf(facts.session)];
  return {
    action,
    outcome: facts.outcome ?? "success",
    ...(facts.reason ? { reason: facts.reason } : {}),
    actor: auditActorOf(actor),
    client: auditClientOf(actor),
    ...(target ? { target } : {}),
    ...(partyOrgs ? { partyOrgs } : {}),
    ...(requestIds.length > 0 || facts.session ? { aws: { requestIds, ...(facts.session ? { roleSessionArn: facts.session.roleSessionArn } : {}) } } : {}),
    ...(facts.details ? { details: facts.details } : {}),
  };
}
