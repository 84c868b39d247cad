import "server-only";
import type { ExchangeRow } from "./exchange-rows";
import type { ExchangeMetadata } from "./metadata";

/**
 * What a recipient is shown as true about an exchange: who sent it, its size and SHA-256, and whom it is addressed
 * to. Each comes from the sealed metadata (kms:Encrypt under the exchange's context), which nobody who can only
 * write the database can forge; the database's copy serves queries and must agree. Exchanges sealed before a fact
 * was sealed fall back to the database for that fact (their content is still verified while it streams).
 */
export interface SealedFacts {
  senderName: string;
  size: number;
  sha256: string | null;
}

/** Names the first fact on which the database disagrees with the sealed metadata, or null when they agree. */
export function sealedFactsProblem(row: ExchangeRow, metadata: ExchangeMetadata): string | null {
  const { sender, size, sha256, audience } = metadata;
  if (sender && (sender.displayName !== row.sender_display_name || (row.sender_user_id !== null && sender.userId !== row.sender_user_id))) return "sender_mismatch";
  if (size !== undefined && (size !== Number(row.declared_size) || (row.size !== null && size !== Number(row.size)))) return "size_mismatch";
  if (sha256 !== undefined && row.sha256 !== null && sha256 !== row.sha256) return "sha256_mismatch";
  if (audience) {
    const sealedIds = audience.userIds === null ? null : [...audience.userIds].sort().join(",");
    const storedIds = row.recipient_user_ids === null ? null : [...row.recipient_user_ids].sort().join(",");
    if (sealedIds !== storedIds || audience.maxDownloads !== row.max_downloads) return "audience_mismatch";
  }
  return null;
}

export function sealedFactsOf(row: ExchangeRow, metadata: ExchangeMetadata): SealedFacts {
  return {
    senderName: metadata.sender?.displayName ?? row.sender_display_name,
    size: metadata.size ?? Number(row.size ?? row.declared_size),
    sha256: metadata.sha256 ?? row.sha256,
  };
}
