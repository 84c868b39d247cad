import "server-only";
import { recordAuditEvent } from "../audit";
import type { Database } from "../db";
import type { BlobStore } from "../storage";
import { partBlobKeysOf } from "./parts/part-rows";

/**
 * Removes uploads that never finished (the browser went away, or the server was killed mid-stream) and blob files
 * abandoned half-written. Each removal is audited; returns how many exchanges and blob files went.
 */
export async function sweepStaleUploads(db: Database, store: BlobStore, olderThan: Date): Promise<{ exchanges: number; blobs: number }> {
  // A parted upload counts as active while parts keep arriving, however long the whole takes.
  const stale = await db.query<{ id: string; sender_org: string; recipient_org: string }>(
    `SELECT id, sender_org, recipient_org FROM exchanges e WHERE status <> 'available' AND created_at < $1
       AND NOT EXISTS (SELECT 1 FROM upload_parts p WHERE p.exchange_id = e.id AND p.stored_at >= $1)`,
    [olderThan],
  );
  let exchanges = 0;
  let blobs = 0;
  for (const row of stale) {
    const partBlobs = await db.transaction(async (tx) => {
      const keys = await partBlobKeysOf(tx, row.id);
      const deleted = await tx.query("DELETE FROM exchanges WHERE id = $1 AND status <> 'available' RETURNING id", [row.id]);
      if (deleted.length === 0) return [];
      exchanges += 1;
      await recordAuditEvent(tx, {
        action: "upload.failed",
        outcome: "failed",
        reason: "expired_incomplete",
        actor: { userId: null, displayName: "Keybridge maintenance", org: null, role: null },
        target: { type: "exchange", id: row.id },
        partyOrgs: [row.sender_org, row.recipient_org],
        details: { partsDiscarded: keys.length },
      });
      return keys;
    });
    for (const key of partBlobs) await store.delete(key);
    blobs += partBlobs.length;
  }
  return { exchanges, blobs: blobs + (await store.sweepAbandoned(olderThan)) };
}
