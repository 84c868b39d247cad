import "server-only";
import type { Readable } from "node:stream";
import { recordAuditEvent } from "../audit";
import { auditActorOf, auditClientOf, type Actor } from "../auth";
import { awsFailureToAppError, type KmsSession } from "../aws";
import { getOrganization } from "../config";
import { exchangeEncryptionContext } from "../crypto";
import { getDatabase } from "../db";
import { AppError, isAppError } from "../errors/app-error";
import { getBlobStore, isStorageFailure } from "../storage";
import { errorCodesOf, kmsSessionFor, requestIdsOf } from "./acting-role";
import { auditFailure } from "./audit-failure";
import { authorizedExchange } from "./authorized-exchange";
import { encryptToNewBlob } from "./encrypt-to-blob";
import { partiesOf, type ExchangeRow } from "./exchange-rows";
import { assertUploadNetwork } from "./upload-network";

export interface ReceivedUpload {
  exchangeId: string;
  size: number;
  sha256: string;
}

/** Moves the exchange from `uploading` to `receiving` so that two requests can never stream into one exchange. */
async function claimForReceiving(actor: Actor, exchangeId: string): Promise<ExchangeRow> {
  const db = await getDatabase();
  const row = await authorizedExchange(db, actor, exchangeId, "send-content");
  if (row.part_count !== null) throw new AppError("upload_state", "a parted upload takes its bytes part by part");
  const [claimed] = await db.query<ExchangeRow>("UPDATE exchanges SET status = 'receiving' WHERE id = $1 AND status = 'uploading' RETURNING *", [exchangeId]);
  if (!claimed) throw new AppError("upload_state", "claimed by another request");
  return claimed;
}

/** A failed or cancelled upload leaves neither blob nor exchange; only its audit events remain. */
async function discard(actor: Actor, row: ExchangeRow, error: AppError, cancelled: boolean, session: KmsSession | undefined): Promise<void> {
  const db = await getDatabase();
  await db.query("DELETE FROM exchanges WHERE id = $1 AND status <> 'available'", [row.id]);
  await auditFailure(actor, cancelled ? "upload.cancelled" : "upload.failed", error, {
    exchangeId: row.id,
    partyOrgs: [row.sender_org, row.recipient_org],
    session,
    details: { declaredBytes: row.declared_size },
  });
}

/**
 * Encrypts the request body as it arrives (Encryption SDK, data key from GenerateDataKey as the sender's role)
 * into a new blob; the exchange becomes available only once the blob is durable and its size and hash are known.
 */
export async function receiveUpload(actor: Actor, exchangeId: string, body: Readable, signal: AbortSignal): Promise<ReceivedUpload> {
  const row = await claimForReceiving(actor, exchangeId);
  let session: KmsSession | undefined;
  try {
    const org = getOrganization(actor.orgSlug);
    if (!org) throw new AppError("internal", `organization ${actor.orgSlug} is not configured`);
    assertUploadNetwork(actor, org);
    session = await kmsSessionFor(actor);
    const { blobKey, plaintextBytes, plaintextSha256, ciphertextBytes, ciphertextSha256 } = await encryptToNewBlob({
      plaintext: body,
      session,
      encryptionContext: exchangeEncryptionContext(partiesOf(row), "file-content"),
      expectedBytes: row.declared_size,
    });
    const kms = session;
    const db = await getDatabase();
    await db.transaction(async (tx) => {
      await tx.query(
        "UPDATE exchanges SET status = 'available', size = $2, sha256 = $3, blob_key = $4, ciphertext_sha256 = $5, ciphertext_size = $6, completed_at = now() WHERE id = $1 AND status = 'receiving'",
        [row.id, plaintextBytes, plaintextSha256, blobKey, ciphertextSha256, ciphertextBytes],
      );
      await recordAuditEvent(tx, {
        action: "upload.completed",
        outcome: "success",
        actor: auditActorOf(actor),
        client: auditClientOf(actor),
        target: { type: "exchange", id: row.id },
        partyOrgs: [row.sender_org, row.recipient_org],
        aws: { requestIds: requestIdsOf(kms), roleSessionArn: kms.roleSessionArn },
        details: { bytes: plaintextBytes, sha256: plaintextSha256 },
      });
    }).catch(async (error: unknown) => {
      await (await getBlobStore()).delete(blobKey);
      throw error;
    });
    return { exchangeId: row.id, size: plaintextBytes, sha256: plaintextSha256 };
  } catch (error) {
    const cancelled = signal.aborted;
    const failure = cancelled
      ? new AppError("upload_incomplete", "client aborted the upload")
      : isAppError(error)
        ? error
        : isStorageFailure(error)
          ? new AppError("storage_failure", `blob store: ${(error as Error).message}`)
          : awsFailureToAppError(error, errorCodesOf(session));
    await discard(actor, row, failure, cancelled, session);
    throw failure;
  }
}
