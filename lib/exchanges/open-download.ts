import "server-only";
import { randomUUID } from "node:crypto";
import { Transform, type Readable } from "node:stream";
import { recordAuditEvent } from "../audit";
import { auditActorOf, auditClientOf, freshMfaAt, type Actor } from "../auth";
import { awsFailureToAppError, type KmsSession } from "../aws";
import { getConfig } from "../config";
import { digestOf, exchangeEncryptionContext, openDecryptedFile } from "../crypto";
import { getDatabase } from "../db";
import { AppError, isAppError } from "../errors/app-error";
import { parseByteRange, type ByteRange } from "./byte-range";
import { getBlobStore, type BlobStore } from "../storage";
import { errorCodesOf, kmsSessionFor, requestIdsOf } from "./acting-role";
import { decideExchangeAccess } from "./access-policy";
import { auditFailure } from "./audit-failure";
import { accessTargetOf, findExchange, partiesOf, type ExchangeRow } from "./exchange-rows";
import { openMetadata } from "./metadata";
import { openPartedContent } from "./parts/parted-content";

export interface ExchangeDownload {
  /** Verified plaintext of `range` (or the whole file); errors (and the response must then be aborted, not ended) if a later frame fails. */
  stream: Readable;
  fileName: string;
  contentType: string;
  /** The whole file's size. */
  size: number;
  /** Null for parted uploads: no plaintext was ever at rest to hash in order; each part's hash is in the manifest. */
  sha256: string | null;
  /** Set when a byte range is being sent (206). */
  range: ByteRange | null;
  /** Parted exchanges answer byte ranges, validated by this entity tag; single-message ones do not. */
  etag: string | null;
}

/** What the client asked for: its Range and If-Range headers, as sent. */
export interface RangeRequest {
  range: string | null;
  ifRange: string | null;
}

/**
 * Lets a caller (a share link) take part in one download without a second decrypt path: `beforeFirstByte` runs after
 * the header verified and can still refuse; `onEnd` runs exactly once, told whether every byte went out.
 */
export interface DownloadHooks {
  beforeFirstByte?(): Promise<void>;
  onEnd?(complete: boolean): Promise<void>;
}

/** Counts what actually went out and records the download's end exactly once. */
function auditedStream(actor: Actor, row: ExchangeRow, decrypted: Readable, size: number, hooks: DownloadHooks): Readable {
  let sent = 0;
  let recorded = false;
  const record = (error: unknown) => {
    if (recorded) return;
    recorded = true;
    const complete = !error && sent === size;
    const work = complete
      ? getDatabase().then((db) =>
          db.transaction((tx) =>
            recordAuditEvent(tx, {
              action: "download.completed",
              outcome: "success",
              actor: auditActorOf(actor),
              client: auditClientOf(actor),
              target: { type: "exchange", id: row.id },
              partyOrgs: [row.sender_org, row.recipient_org],
              details: { bytes: sent },
            }),
          ),
        )
      : auditFailure(actor, "download.failed", isAppError(error) ? error : new AppError(error ? "integrity_failure" : "upload_incomplete", String(error)), {
          exchangeId: row.id,
          partyOrgs: [row.sender_org, row.recipient_org],
          details: { bytesSent: sent, reason: error ? "decrypt_failed" : "client_aborted" },
        });
    work.catch((auditError: unknown) => console.error("audit write failed for download end", row.id, auditError));
    hooks.onEnd?.(complete).catch((hookError: unknown) => console.error("download end hook failed", row.id, hookError));
  };
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      sent += chunk.length;
      done(null, chunk);
    },
    flush(done) {
      record(sent === size ? null : new AppError("integrity_failure", `plaintext ended after ${sent} of ${size} bytes`));
      done(sent === size ? null : new AppError("integrity_failure", "short plaintext"));
    },
  });
  decrypted.once("error", (error) => {
    record(error);
    counter.destroy(error);
  });
  counter.once("close", () => {
    if (!recorded) record(null);
    decrypted.destroy();
  });
  decrypted.pipe(counter);
  return counter;
}

/**
 * Compares the stored blob with the size and SHA-256 recorded when it was written, before anything is decrypted:
 * a blob altered, truncated, extended or swapped at rest releases no byte at all. Returns what is wrong, or null.
 */
async function storedCiphertextProblem(store: BlobStore, row: ExchangeRow): Promise<string | null> {
  if (row.ciphertext_sha256 === null || row.ciphertext_size === null || row.blob_key === null) return null;
  const size = await store.size(row.blob_key).catch(() => null);
  if (size === null) return "blob_missing";
  if (size !== row.ciphertext_size) return "ciphertext_size_mismatch";
  const stored = await digestOf(store.read(row.blob_key));
  return stored.sha256 === row.ciphertext_sha256 && stored.bytes === row.ciphertext_size ? null : "ciphertext_digest_mismatch";
}

/**
 * Opens an exchange's content for a member of the recipient organization: KMS Decrypt as the recipient's role with
 * the person's MFA evidence in the session, the message's encryption context checked before any byte is released.
 */
export async function openDownload(actor: Actor, exchangeId: string, hooks: DownloadHooks = {}, requested: RangeRequest = { range: null, ifRange: null }): Promise<ExchangeDownload> {
  const db = await getDatabase();
  const row = await findExchange(db, exchangeId);
  if (!row) throw new AppError("not_found", "no such exchange");
  const config = getConfig();
  const mfaAt = freshMfaAt(actor, config.mfaMaxAgeSeconds);
  const partyOrgs = [row.sender_org, row.recipient_org];
  const decision = decideExchangeAccess({ userId: actor.userId, orgSlug: actor.orgSlug, role: actor.role, hasFreshMfa: mfaAt !== null }, "download", accessTargetOf(row));
  if (!decision.allowed) {
    const denial = new AppError(decision.code, decision.reason);
    if (decision.code !== "not_found") await auditFailure(actor, "download.denied", denial, { exchangeId, partyOrgs });
    throw denial;
  }
  if (row.size === null || row.blob_key === null || (row.sha256 === null && row.part_count === null)) throw new AppError("internal", "available exchange without content");
  const parted = row.part_count !== null;
  const etag = parted && row.ciphertext_sha256 ? `"${row.ciphertext_sha256}"` : null;
  const range = parted && (requested.ifRange === null || requested.ifRange === etag) ? parseByteRange(requested.range, row.size) : null;
  if (range === "unsatisfiable") throw new AppError("range_not_satisfiable", `${requested.range} of ${row.size} bytes`);
  const sending = range ? range.end - range.start + 1 : row.size;
  const store = await getBlobStore();
  const problem = await storedCiphertextProblem(store, row);
  if (problem) {
    const failure = new AppError("integrity_failure", `stored blob of exchange ${row.id}: ${problem}`);
    await auditFailure(actor, "download.failed", failure, { exchangeId, partyOrgs, details: { reason: problem, bytesSent: 0 } });
    throw failure;
  }

  let session: KmsSession | undefined;
  try {
    session = await kmsSessionFor(actor, mfaAt);
    const metadata = await openMetadata(session, partiesOf(row), row.metadata_ciphertext);
    const decrypted = parted
      ? await openPartedContent({
          db,
          store,
          row,
          kms: session.client,
          keyArn: config.exchangeKeyArn,
          maxFrameBytes: config.uploads.frameBytes,
          range: range ?? { start: 0, end: row.size - 1 },
          dataKeyPartition: `download/${randomUUID()}`,
        })
      : await openDecryptedFile({
          ciphertext: store.read(row.blob_key),
          kms: session.client,
          keyArn: config.exchangeKeyArn,
          expectedContext: exchangeEncryptionContext(partiesOf(row), "file-content"),
          maxFrameBytes: config.uploads.frameBytes,
        });
    const kms = session;
    await (hooks.beforeFirstByte?.() ?? Promise.resolve()).catch((error: unknown) => {
      decrypted.destroy();
      throw error;
    });
    await db
      .transaction((tx) =>
        recordAuditEvent(tx, {
          action: "download.started",
          outcome: "success",
          actor: auditActorOf(actor),
          client: auditClientOf(actor),
          target: { type: "exchange", id: row.id },
          partyOrgs,
          aws: { requestIds: requestIdsOf(kms), roleSessionArn: kms.roleSessionArn },
          details: range ? { bytes: sending, range: `${range.start}-${range.end}/${row.size}` } : { bytes: row.size },
        }),
      )
      .catch((error: unknown) => {
        decrypted.destroy();
        throw error;
      });
    return { stream: auditedStream(actor, row, decrypted, sending, hooks), fileName: metadata.fileName, contentType: metadata.contentType, size: row.size, sha256: row.sha256, range, etag };
  } catch (error) {
    const failure = isAppError(error) ? error : awsFailureToAppError(error, errorCodesOf(session));
    await auditFailure(actor, failure.code === "key_service_denied" ? "download.denied" : "download.failed", failure, { exchangeId, partyOrgs, session });
    throw failure;
  }
}
