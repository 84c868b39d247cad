import "server-only";
import { recordAuditEvent } from "../audit";
import { type Actor } from "../auth";
import { getDatabase } from "../db";
import { AppError } from "../errors/app-error";
import { authorizedExchange } from "./authorized-exchange";
import { partBlobKeysOf } from "./parts/part-rows";
import { getBlobStore } from "../storage";
import { personEvent } from "./person-event";

/** Discards an upload that has not started sending content, or a parted upload with the parts it holds. */
export async function cancelUpload(actor: Actor, exchangeId: string): Promise<void> {
  const db = await getDatabase();
  const row = await authorizedExchange(db, actor, exchangeId, "cancel");
  const partBlobs = await db.transaction(async (tx) => {
    const blobs = await partBlobKeysOf(tx, exchangeId);
    const deleted = await tx.query("DELETE FROM exchanges WHERE id = $1 AND status = 'uploading' RETURNING id", [exchangeId]);
    if (deleted.length === 0) throw new AppError("upload_state", "no longer waiting for content");
    await recordAuditEvent(tx, personEvent(actor, "upload.cancelled", { type: "exchange", id: exchangeId }, [row.sender_org, row.recipient_org], { details: { partsDiscarded: blobs.length } }));
    return blobs;
  });
  const store = await getBlobStore();
  for (const key of partBlobs) await store.delete(key);
}
