import type { OrgRole } from "../auth/actor";

export interface AuditViewer {
  userId: string;
  orgSlug: string;
  role: OrgRole;
}

/** Whose events a viewer may read: members their own; admins and auditors their organization's. */
export type AuditScope = { kind: "own"; userId: string } | { kind: "organization"; orgSlug: string };

/** The facts about an event that decide who may see it. */
export interface AuditEventParties {
  actorUserId: string | null;
  actorOrg: string | null;
  partyOrgs: readonly string[];
}

/** The one place audit visibility is decided; `scopeCondition` in query-events.ts is its SQL form. */
export function auditScopeOf(viewer: AuditViewer): AuditScope {
  return viewer.role === "member" ? { kind: "own", userId: viewer.userId } : { kind: "organization", orgSlug: viewer.orgSlug };
}

/**
 * An organization's admins and auditors see what its people did and everything that happened to exchanges it is
 * party to (including the partner's downloads of its files); a member sees only what they did themselves.
 */
export function mayViewAuditEvent(scope: AuditScope, event: AuditEventParties): boolean {
  if (scope.kind === "own") return event.actorUserId === scope.userId;
  return event.actorOrg === scope.orgSlug || event.partyOrgs.includes(scope.orgSlug);
}

/** Admins and auditors may look for key use outside the app on their organization's exchanges; members may not. */
export function mayCrossCheckKms(scope: AuditScope): boolean {
  return scope.kind === "organization";
}
