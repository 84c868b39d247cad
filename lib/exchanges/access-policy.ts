import type { AppErrorCode } from "../errors/app-error";
import type { OrgRole } from "../auth/actor";

/** Everything a person may try to do with exchanges; every check goes through `decideExchangeAccess`. */
export type ExchangeAction = "create" | "send-content" | "cancel" | "view" | "download";

export interface ExchangeAccessSubject {
  userId: string;
  orgSlug: string;
  role: OrgRole;
  /** MFA evidence fresh enough for decryption. */
  hasFreshMfa: boolean;
}

export interface ExchangeAccessTarget {
  senderOrg: string;
  senderUserId: string | null;
  recipientOrg: string;
  /** Null: addressed to every member of the recipient organization; else to these people only. */
  recipientUserIds: readonly string[] | null;
  status: "uploading" | "receiving" | "available";
}

/** Why this person may not send files at all, or null when they may: auditors never send; without partners there is no one to send to. */
export function sendingRefusal(subject: Pick<ExchangeAccessSubject, "role">, senderMaySendTo: readonly string[]): "auditor" | "no_partners" | null {
  if (subject.role === "auditor") return "auditor";
  return senderMaySendTo.length === 0 ? "no_partners" : null;
}

export type AccessDecision = { allowed: true } | { allowed: false; code: AppErrorCode; reason: string };

const allow: AccessDecision = { allowed: true };
const deny = (code: AppErrorCode, reason: string): AccessDecision => ({ allowed: false, code, reason });

/**
 * The app's own rules, on top of the KMS key policy (which decides independently), for every route that reaches an
 * exchange (Inbox, share link, API): a link narrows this decision, never widens it. Someone who is not a party to
 * an exchange, or a member of the recipient organization it is not addressed to, is told it does not exist, so ids
 * reveal nothing. Download limits are the reservation's job (download-slots.ts): they must be checked atomically.
 */
export function decideExchangeAccess(
  subject: ExchangeAccessSubject,
  action: ExchangeAction,
  target: ExchangeAccessTarget,
  senderMaySendTo: readonly string[] = [],
): AccessDecision {
  const isSenderOrg = subject.orgSlug === target.senderOrg;
  const isRecipientOrg = subject.orgSlug === target.recipientOrg;
  switch (action) {
    case "create":
      if (sendingRefusal(subject, senderMaySendTo) === "auditor") return deny("forbidden", "auditors_cannot_send");
      if (!isSenderOrg) return deny("forbidden", "not_sender_org");
      return senderMaySendTo.includes(target.recipientOrg) ? allow : deny("recipient_not_allowed", "no_partnership");
    case "send-content":
    case "cancel":
      if (!isSenderOrg || subject.userId !== target.senderUserId) return deny("not_found", "not_uploader");
      return target.status === "uploading" ? allow : deny("upload_state", `status_${target.status}`);
    case "view":
      if (!isSenderOrg && !isRecipientOrg) return deny("not_found", "not_a_party");
      if (isRecipientOrg && !isSenderOrg && target.status !== "available") return deny("not_found", "not_yet_available");
      // Auditors oversee their organization's exchanges, addressed to them or not; they can never download.
      if (isRecipientOrg && !isSenderOrg && subject.role !== "auditor" && !isAddressedTo(subject, target)) return deny("not_found", "not_a_named_recipient");
      return allow;
    case "download":
      if (!isRecipientOrg) return isSenderOrg ? deny("forbidden", "sender_cannot_decrypt") : deny("not_found", "not_a_party");
      // Before any role check: recipients cannot see an unfinished exchange, so no answer may tell them it exists.
      if (target.status !== "available") return deny("not_found", "not_yet_available");
      if (subject.role === "auditor") return deny("forbidden", "auditors_cannot_download");
      if (!isAddressedTo(subject, target)) return deny("not_found", "not_a_named_recipient");
      return subject.hasFreshMfa ? allow : deny("mfa_required", "mfa_not_fresh");
  }
}

function isAddressedTo(subject: Pick<ExchangeAccessSubject, "userId">, target: Pick<ExchangeAccessTarget, "recipientUserIds">): boolean {
  return target.recipientUserIds === null || target.recipientUserIds.includes(subject.userId);
}
