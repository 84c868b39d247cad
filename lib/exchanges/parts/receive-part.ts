import "server-only";
import type { Readable } from "node:stream";
import type { Actor } from "../../auth";
import type { KmsSession } from "../../aws";
import { getOrganization } from "../../config";
import { partedEncryptionContext } from "../../crypto";
import { getDatabase } from "../../db";
import { asAppError, AppError } from "../../errors/app-error";
import { getBlobStore } from "../../storage";
import { kmsSessionFor } from "../acting-role";
import { authorizedExchange } from "../authorized-exchange";
import { encryptToNewBlob } from "../encrypt-to-blob";
import { partiesOf, type ExchangeRow } from "../exchange-rows";
import { assertUploadNetwork } from "../upload-network";
import type { PartReceipt } from "../../contract/transfer";
import { auditFailure } from "../audit-failure";
import { layoutOf, partSize } from "./part-layout";

export type ReceivedPart = PartReceipt;

/** The cache partition that lets one person's parts of one upload share a data key, and nothing else. */
export const uploadKeyPartition = (row: ExchangeRow, actor: Actor) => `upload/${row.id}/${actor.userId}`;

/**
 * Encrypts one part as it arrives (its own Encryption SDK message, data key shared with the upload's other parts
 * through the bounded cache) into its own blob. Sending a part again replaces it, so a retry after a lost answer is
 * harmless; a part that fails leaves nothing. `declaredSha256` is the plaintext digest the sender's client computed
 * as it read the part: bytes that differ from what it read (changed on the way, or a client splicing two files) are
 * refused and their blob deleted, and the part stored before, if any, stays.
 */
export async function receivePart(actor: Actor, exchangeId: string, partNumber: number, declaredSha256: string, body: Readable, signal: AbortSignal): Promise<ReceivedPart> {
  const db = await getDatabase();
  const row = await authorizedExchange(db, actor, exchangeId, "send-content");
  const layout = layoutOf(row);
  let expectedBytes: number;
  try {
    expectedBytes = partSize(layout, partNumber);
  } catch {
    throw new AppError("invalid_input", `part ${partNumber} of ${layout.partCount}`);
  }
  let session: KmsSession | undefined;
  try {
    const org = getOrganization(actor.orgSlug);
    if (!org) throw new AppError("internal", `organization ${actor.orgSlug} is not configured`);
    assertUploadNetwork(actor, org);
    session = await kmsSessionFor(actor);
    const store = await getBlobStore();
    const { blobKey, plaintextBytes, plaintextSha256, ciphertextBytes, ciphertextSha256 } = await encryptToNewBlob({
      plaintext: body,
      session,
      encryptionContext: partedEncryptionContext(partiesOf(row), "part"),
      expectedBytes,
      dataKeyPartition: uploadKeyPartition(row, actor),
    });
    if (plaintextSha256 !== declaredSha256) {
      await store.delete(blobKey);
      throw new AppError("part_digest_mismatch", `part ${partNumber}: declared ${declaredSha256}, received ${plaintextSha256}`);
    }
    const kmsRequestId = session.calls.find((call) => call.operation === "GenerateDataKey" && !call.errorCode)?.requestId ?? null;
    const replaced = await db
      .transaction(async (tx) => {
        const [current] = await tx.query<{ status: string }>("SELECT status FROM exchanges WHERE id = $1 FOR UPDATE", [row.id]);
        if (current?.status !== "uploading") throw new AppError("upload_state", `status ${current?.status ?? "gone"}`);
        const [previous] = await tx.query<{ blob_key: string }>("SELECT blob_key FROM upload_parts WHERE exchange_id = $1 AND part_number = $2", [row.id, partNumber]);
        await tx.query(
          `INSERT INTO upload_parts (exchange_id, part_number, blob_key, plaintext_bytes, plaintext_sha256, ciphertext_bytes, ciphertext_sha256, kms_request_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (exchange_id, part_number) DO UPDATE SET blob_key = EXCLUDED.blob_key, plaintext_bytes = EXCLUDED.plaintext_bytes,
             plaintext_sha256 = EXCLUDED.plaintext_sha256, ciphertext_bytes = EXCLUDED.ciphertext_bytes, ciphertext_sha256 = EXCLUDED.ciphertext_sha256,
             kms_request_id = COALESCE(EXCLUDED.kms_request_id, upload_parts.kms_request_id), stored_at = now()`,
          [row.id, partNumber, blobKey, plaintextBytes, plaintextSha256, ciphertextBytes, ciphertextSha256, kmsRequestId],
        );
        return previous?.blob_key;
      })
      .catch(async (error: unknown) => {
        await store.delete(blobKey);
        throw error;
      });
    if (replaced) await store.delete(replaced);
    return { partNumber, bytes: plaintextBytes, sha256: plaintextSha256 };
  } catch (error) {
    // A browser pausing or losing its connection mid-part is nobody's failure, and is not audited.
    if (signal.aborted) throw new AppError("upload_incomplete", "client aborted the part");
    const failure = asAppError(error);
    await auditFailure(actor, "upload.failed", failure, { exchangeId: row.id, partyOrgs: [row.sender_org, row.recipient_org], session, details: { part: partNumber } });
    throw failure;
  }
}
