import "server-only";
import type { Actor } from "../../auth";
import { getConfig } from "../../config";
import { getDatabase } from "../../db";
import { authorizedExchange } from "../authorized-exchange";
import { partsOf } from "./part-rows";
import { layoutOf } from "./part-layout";
import type { UploadStatus } from "../../contract/transfer";

export type PartedUploadStatus = UploadStatus;

/** A stale upload's clock runs from its last stored part, so a slow multi-hour upload is never swept mid-way. */
export function expiryOf(createdAt: Date, lastStoredAt: Date | null): Date {
  const lastActivity = Math.max(createdAt.getTime(), lastStoredAt?.getTime() ?? 0);
  return new Date(lastActivity + getConfig().uploads.staleAfterSeconds * 1000);
}

/**
 * What the sender's browser needs to resume: which parts the server already holds, and the plaintext digest of each,
 * so that it can check the file it was given again is the one it started with before skipping those parts.
 */
export async function partedUploadStatus(actor: Actor, exchangeId: string): Promise<PartedUploadStatus> {
  const db = await getDatabase();
  const row = await authorizedExchange(db, actor, exchangeId, "send-content");
  const layout = layoutOf(row);
  const parts = await partsOf(db, row.id);
  const lastStoredAt = parts.reduce<Date | null>((latest, part) => (!latest || part.stored_at > latest ? part.stored_at : latest), null);
  return {
    exchangeId: row.id,
    size: layout.size,
    partBytes: layout.partBytes,
    partCount: layout.partCount,
    parts: parts.map((part) => ({ partNumber: part.part_number, bytes: Number(part.plaintext_bytes), sha256: part.plaintext_sha256 })),
    storedParts: parts.map((part) => part.part_number),
    storedBytes: parts.reduce((sum, part) => sum + Number(part.plaintext_bytes), 0),
    expiresAt: expiryOf(row.created_at, lastStoredAt).toISOString(),
  };
}
