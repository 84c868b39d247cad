import "server-only";
import { Readable } from "node:stream";
import { recordAuditEvent } from "../../audit";
import { type Actor } from "../../auth";
import type { KmsSession } from "../../aws";
import { partedEncryptionContext } from "../../crypto";
import { getDatabase } from "../../db";
import { asAppError, AppError } from "../../errors/app-error";
import { getBlobStore } from "../../storage";
import { kmsSessionFor } from "../acting-role";
import { auditFailure } from "../audit-failure";
import { authorizedExchange } from "../authorized-exchange";
import { encryptToNewBlob } from "../encrypt-to-blob";
import { partiesOf } from "../exchange-rows";
import type { CompletedUpload as CompletedUploadBody } from "../../contract/transfer";
import { openMetadata, sealMetadata } from "../metadata";
import { serializeManifest, type SealedPartManifest } from "./part-manifest";
import { partsOf } from "./part-rows";
import { layoutOf, partSize } from "./part-layout";
import { personEvent } from "../person-event";

export type CompletedUpload = CompletedUploadBody;

/**
 * Finishes a parted upload once every part is stored: writes the encrypted manifest that fixes the parts' order,
 * sizes and digests and the whole file's SHA-256 as the sender's client read it (`sha256`), re-seals the metadata
 * with that size and digest so that recipients read them from authenticated data, and only then makes the exchange
 * available. Missing parts are named, so the sender's browser can send them and try again.
 *
 * The server cannot recompute the whole-file digest from the parts' digests; what it seals is the sender's claim,
 * each part of which it has checked, and a download recomputes it over the decrypted content.
 */
export async function completeUpload(actor: Actor, exchangeId: string, sha256: string): Promise<CompletedUpload> {
  const db = await getDatabase();
  const row = await authorizedExchange(db, actor, exchangeId, "send-content");
  const layout = layoutOf(row);
  const parts = await partsOf(db, row.id);
  const stored = new Map(parts.map((part) => [part.part_number, part]));
  const missing = Array.from({ length: layout.partCount }, (_, index) => index + 1).filter((n) => stored.get(n)?.plaintext_bytes !== partSize(layout, n));
  if (missing.length > 0) throw new AppError("parts_missing", `missing parts ${missing.slice(0, 20).join(", ")}`, `${missing.length} of ${layout.partCount} parts have not arrived yet (first missing: part ${missing[0]}). Send them, then finish the upload.`);
  // One part is the whole file, so there the declared digest can be checked; longer files are checked on download.
  if (layout.partCount === 1 && parts[0]?.plaintext_sha256 !== sha256) throw new AppError("file_digest_mismatch", `declared ${sha256}, part 1 holds ${parts[0]?.plaintext_sha256}`);
  const [claimed] = await db.query("UPDATE exchanges SET status = 'receiving' WHERE id = $1 AND status = 'uploading' RETURNING id", [row.id]);
  if (!claimed) throw new AppError("upload_state", "claimed by another request");

  const store = await getBlobStore();
  let session: KmsSession | undefined;
  try {
    const manifest: SealedPartManifest = {
      version: 2,
      exchangeId: row.id,
      size: layout.size,
      partBytes: layout.partBytes,
      parts: parts.map((part) => ({ plaintextBytes: Number(part.plaintext_bytes), plaintextSha256: part.plaintext_sha256, ciphertextBytes: Number(part.ciphertext_bytes), ciphertextSha256: part.ciphertext_sha256 })),
      sha256,
    };
    const plaintext = serializeManifest(manifest);
    session = await kmsSessionFor(actor);
    // The sender's role may decrypt the metadata of its own organization's exchanges (infra/policies/documents.ts):
    // what it sealed at creation is kept as it is, and the size and digest now known are added.
    const parties = partiesOf(row);
    const metadata = await openMetadata(session, parties, row.metadata_ciphertext);
    const metadataCiphertext = await sealMetadata(session, parties, {
      ...metadata,
      sender: metadata.sender ?? { userId: row.sender_user_id ?? actor.userId, displayName: row.sender_display_name },
      size: layout.size,
      sha256,
    });
    const { blobKey, ciphertextBytes, ciphertextSha256 } = await encryptToNewBlob({
      plaintext: Readable.from([plaintext]),
      session,
      encryptionContext: partedEncryptionContext(partiesOf(row), "manifest"),
      expectedBytes: plaintext.length,
    });
    const kms = session;
    const partRequestIds = [...new Set(parts.flatMap((part) => (part.kms_request_id ? [part.kms_request_id] : [])))];
    await db
      .transaction(async (tx) => {
        await tx.query(
          `UPDATE exchanges SET status = 'available', size = $2, blob_key = $3, ciphertext_sha256 = $4, ciphertext_size = $5, sha256 = $6, metadata_ciphertext = $7,
             completed_at = now() WHERE id = $1 AND status = 'receiving'`,
          [row.id, layout.size, blobKey, ciphertextSha256, ciphertextBytes, sha256, metadataCiphertext],
        );
        await recordAuditEvent(
          tx,
          personEvent(actor, "upload.completed", { type: "exchange", id: row.id }, [row.sender_org, row.recipient_org], {
            session: kms,
            requestIds: partRequestIds,
            details: { bytes: layout.size, parts: layout.partCount, dataKeys: partRequestIds.length, sha256 },
          }),
        );
      })
      .catch(async (error: unknown) => {
        await store.delete(blobKey);
        throw error;
      });
    return { exchangeId: row.id, size: layout.size, partCount: layout.partCount, sha256 };
  } catch (error) {
    // The parts stay: the sender can finish again once the key service or the store is back.
    await db.query("UPDATE exchanges SET status = 'uploading' WHERE id = $1 AND status = 'receiving'", [row.id]);
    const failure = asAppError(error);
    await auditFailure(actor, "upload.failed", failure, { exchangeId: row.id, partyOrgs: [row.sender_org, row.recipient_org], session });
    throw failure;
  }
}
