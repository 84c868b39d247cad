import "server-only";
import { freshMfaAt, type Actor } from "../auth";
import { getConfig } from "../config";
import { decideExchangeAccess } from "./access-policy";
import { accessTargetOf, type ExchangeRow } from "./exchange-rows";

/**
 * What a page may offer this person for an exchange's content, from the one access decision, so pages render it
 * instead of re-deriving rules: download it, confirm a second factor first, or why neither.
 */
export type DownloadCapability = "download" | "step_up" | "auditor" | "sender" | "not_available" | "used_up";

export interface DownloadAllowance {
  capability: DownloadCapability;
  /** Downloads left on every route together; null: no limit. */
  downloadsLeft: number | null;
}

export function downloadAllowance(actor: Actor, row: ExchangeRow, linkDownloadsLeft: number | null = null): DownloadAllowance {
  const exchangeLeft = row.max_downloads === null ? null : Math.max(0, row.max_downloads - row.completed_downloads);
  const downloadsLeft = exchangeLeft === null ? linkDownloadsLeft : linkDownloadsLeft === null ? exchangeLeft : Math.min(exchangeLeft, linkDownloadsLeft);
  const subject = { userId: actor.userId, orgSlug: actor.orgSlug, role: actor.role, hasFreshMfa: freshMfaAt(actor, getConfig().mfaMaxAgeSeconds) !== null };
  const decision = decideExchangeAccess(subject, "download", accessTargetOf(row));
  const capability: DownloadCapability = decision.allowed
    ? downloadsLeft === 0
      ? "used_up"
      : "download"
    : decision.code === "mfa_required"
      ? downloadsLeft === 0
        ? "used_up"
        : "step_up"
      : decision.reason === "auditors_cannot_download"
        ? "auditor"
        : decision.reason === "sender_cannot_decrypt"
          ? "sender"
          : "not_available";
  return { capability, downloadsLeft };
}
