import "server-only";
import type { Actor } from "../../auth";
import { getConfig } from "../../config";
import { getDatabase } from "../../db";
import { authorizedExchange } from "../authorized-exchange";
import { partsOf } from "./part-rows";
import { layoutOf } from "./part-layout";

export interface PartedUploadStatus {
  exchangeId: string;
  size: number;
  partBytes: number;
  partCount: number;
  storedParts: number[];
  storedBytes: number;
  /** When the upload is swept if nothing more arrives. */
  expiresAt: string;
}

/** A stale upload's clock runs from its last stored part, so a slow multi-hour upload is never swept mid-way. */
export function expiryOf(createdAt: Date, lastStoredAt: Date | null): Date {
  const lastActivity = Math.max(createdAt.getTime(), lastStoredAt?.getTime() ?? 0);
  return new Date(lastActivity + getConfig().uploads.staleAfterSeconds * 1000);
}

/** What the sender's browser needs to resume: which parts the server already holds. */
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
    storedParts: parts.map((part) => part.part_number),
    storedBytes: parts.reduce((sum, part) => sum + Number(part.plaintext_bytes), 0),
    expiresAt: expiryOf(row.created_at, lastStoredAt).toISOString(),
  };
}
