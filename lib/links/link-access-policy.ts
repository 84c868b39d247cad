import type { OrgRole } from "../auth/actor";

/** What the sender sees of a link, and what a recipient is told when it no longer works. */
export type LinkStatus = "active" | "expired" | "used_up" | "revoked";

export interface LinkState {
  recipientOrg: string;
  wholeOrg: boolean;
  namedRecipientIds: readonly string[];
  expiresAt: Date;
  revokedAt: Date | null;
  maxDownloads: number | null;
  completedDownloads: number;
}

export interface LinkSubject {
  userId: string;
  orgSlug: string;
  role: OrgRole;
  hasFreshMfa: boolean;
}

export type LinkAction = "view" | "download";

/**
 * `not_found` is the answer for anyone the link is not addressed to: the same as a token that does not exist, so a
 * guessed or forwarded link reveals nothing. Only allowed recipients learn that a link expired, was used up or revoked.
 */
export type LinkDecision =
  | { allowed: true }
  | { allowed: false; outcome: "not_found"; reason: string }
  | { allowed: false; outcome: Exclude<LinkStatus, "active">; reason: string }
  | { allowed: false; outcome: "forbidden" | "mfa_required"; reason: string };

export function linkStatus(link: Pick<LinkState, "expiresAt" | "revokedAt" | "maxDownloads" | "completedDownloads">, now: Date): LinkStatus {
  if (link.revokedAt) return "revoked";
  if (link.expiresAt.getTime() <= now.getTime()) return "expired";
  if (link.maxDownloads !== null && link.completedDownloads >= link.maxDownloads) return "used_up";
  return "active";
}

function isAddressedTo(link: Pick<LinkState, "recipientOrg" | "wholeOrg" | "namedRecipientIds">, subject: Pick<LinkSubject, "userId" | "orgSlug">): boolean {
  if (subject.orgSlug !== link.recipientOrg) return false;
  return link.wholeOrg || link.namedRecipientIds.includes(subject.userId);
}

/** The app's rules for a share link; decryption is still refused by the key policy for anyone outside the recipient org. */
export function decideLinkAccess(subject: LinkSubject, action: LinkAction, link: LinkState, now: Date): LinkDecision {
  if (!isAddressedTo(link, subject)) return { allowed: false, outcome: "not_found", reason: subject.orgSlug === link.recipientOrg ? "not_a_named_recipient" : "not_recipient_org" };
  const status = linkStatus(link, now);
  if (status !== "active") return { allowed: false, outcome: status, reason: `link_${status}` };
  if (action === "view") return { allowed: true };
  if (subject.role === "auditor") return { allowed: false, outcome: "forbidden", reason: "auditors_cannot_download" };
  return subject.hasFreshMfa ? { allowed: true } : { allowed: false, outcome: "mfa_required", reason: "mfa_not_fresh" };
}

/** Creating, listing and revoking an exchange's links: people of the sending organization, except auditors (who may list). */
export function mayManageLinks(subject: Pick<LinkSubject, "orgSlug" | "role">, exchange: { senderOrg: string; status: string }, action: "create" | "list" | "revoke"): boolean {
  if (subject.orgSlug !== exchange.senderOrg) return false;
  if (action === "list") return true;
  return subject.role !== "auditor" && (action === "revoke" || exchange.status === "available");
}
