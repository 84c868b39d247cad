export const ORG_ROLES = ["member", "admin", "auditor"] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

/** The signed-in person behind a request, as every domain function receives them. */
export interface Actor {
  userId: string;
  email: string;
  displayName: string;
  orgSlug: string;
  role: OrgRole;
  sessionId: string;
  /** When this session last proved a second factor; null if never. */
  mfaVerifiedAt: Date | null;
  clientAddress: string | null;
  userAgent: string | null;
}

export function auditActorOf(actor: Actor) {
  return { userId: actor.userId, displayName: actor.displayName, org: actor.orgSlug, role: actor.role };
}

export function auditClientOf(actor: Pick<Actor, "clientAddress" | "userAgent">) {
  return { address: actor.clientAddress, userAgent: actor.userAgent };
}

/** MFA evidence counts only while it is fresher than the configured age. */
export function freshMfaAt(actor: Actor, maxAgeSeconds: number, now = Date.now()): Date | null {
  if (!actor.mfaVerifiedAt) return null;
  return now - actor.mfaVerifiedAt.getTime() <= maxAgeSeconds * 1000 ? actor.mfaVerifiedAt : null;
}
