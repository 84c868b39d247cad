import "server-only";
import { errorField, log } from "../log";
import { randomUUID } from "node:crypto";
import { Transform, type Readable } from "node:stream";
import { recordAuditEvent } from "../audit";
import { freshMfaAt, type Actor } from "../auth";
import type { KmsSession } from "../aws";
import { getConfig } from "../config";
import { getDatabase, type Database } from "../db";
import { asAppError, AppError, isAppError } from "../errors/app-error";
import { getBlobStore } from "../storage";
import { kmsSessionFor } from "./acting-role";
import { decideExchangeAccess } from "./access-policy";
import { auditFailure } from "./audit-failure";
import { parseByteRange, type ByteRange } from "./byte-range";
import { finishDownload, heartbeat, HEARTBEAT_MS, releaseStaleDownloads, reserveDownload } from "./download-slots";
import { accessTargetOf, findExchange, partiesOf, type ExchangeRow } from "./exchange-rows";
import { integrityFailure, integrityReasonOf } from "../errors/integrity-failure";
import { openMetadata } from "./metadata";
import { openPartedContent } from "./parts/parted-content";
import { sealedFactsOf, sealedFactsProblem } from "./sealed-facts";
import { personEvent } from "./person-event";

export interface ExchangeDownload {
  /** Verified plaintext of `range` (or the whole file); errors (and the response must then be aborted, not ended) if a check fails. */
  stream: Readable;
  fileName: string;
  contentType: string;
  /** The whole file's size, as sealed. */
  size: number;
  /** The whole file's SHA-256, as sealed (null only for exchanges stored before it was recorded). */
  sha256: string | null;
  /** Set when a byte range is being sent (206). */
  range: ByteRange | null;
  /** Set when the download may be resumed with Range; validates If-Range. */
  etag: string | null;
}

/** What the client asked for, and which route it came through. */
export interface DownloadRequest {
  range: string | null;
  ifRange: string | null;
  /** Set when the download came through a share link: its limits apply beside the exchange's. */
  link?: { id: string; maxDownloads: number | null } | null;
}

/** Counts what actually went out and records the download's end exactly once. */
function auditedStream(actor: Actor, row: ExchangeRow, decrypted: Readable, sending: number, sha256: string | null, onEnd: (complete: boolean) => Promise<void>): Readable {
  let sent = 0;
  let recorded = false;
  const record = (error: unknown) => {
    if (recorded) return;
    recorded = true;
    const complete = !error && sent === sending;
    const work = complete
      ? getDatabase().then((db) =>
          db.transaction((tx) =>
            recordAuditEvent(tx, personEvent(actor, "download.completed", { type: "exchange", id: row.id }, [row.sender_org, row.recipient_org], { details: { bytes: sent, sha256 } })),
          ),
        )
      : auditFailure(actor, "download.failed", isAppError(error) ? error : new AppError(error ? "integrity_failure" : "upload_incomplete", String(error)), {
          exchangeId: row.id,
          partyOrgs: [row.sender_org, row.recipient_org],
          details: { bytesSent: sent, reason: integrityReasonOf(error) ?? (error ? "decrypt_failed" : "client_aborted") },
        });
    work.catch((auditError: unknown) => log.error({ exchangeId: row.id, error: errorField(auditError) }, "audit write failed for download end"));
    onEnd(complete).catch((hookError: unknown) => log.error({ exchangeId: row.id, error: errorField(hookError) }, "download end failed"));
  };
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      sent += chunk.length;
      done(null, chunk);
    },
    flush(done) {
      const short = sent === sending ? null : integrityFailure("short_plaintext", `plaintext ended after ${sent} of ${sending} bytes`);
      record(short);
      done(short);
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

/** One reservation of a download slot, with its heartbeat; ends once, counting only if every byte went out. */
async function reserve(db: Database, row: ExchangeRow, linkId: string | null, actor: Actor): Promise<(complete: boolean) => Promise<void>> {
  const reservationId = await db.transaction(async (tx) => {
    await releaseStaleDownloads(tx, row.id);
    return reserveDownload(tx, row.id, linkId, actor);
  });
  const alive = setInterval(() => void heartbeat(db, reservationId).catch(() => undefined), HEARTBEAT_MS);
  alive.unref();
  let finished = false;
  return async (complete) => {
    if (finished) return;
    finished = true;
    clearInterval(alive);
    await db.transaction((tx) => finishDownload(tx, reservationId, complete));
  };
}

/**
 * Opens an exchange's content for a person it is addressed to, whichever route they came by: the one access
 * decision, KMS Decrypt as the recipient's role with the person's MFA evidence in the session, the sealed facts
 * compared with the database and the content plan checked before any byte is released, then a download slot of the
 * exchange (and of the link) reserved atomically. A limited exchange or link is sent whole (no Range): a download
 * counts only once its last byte went out, and a range could otherwise read the file piecemeal without counting.
 */
export async function openDownload(actor: Actor, exchangeId: string, request: DownloadRequest = { range: null, ifRange: null }): Promise<ExchangeDownload> {
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
  if (row.size === null || row.blob_key === null || row.part_count === null) throw new AppError("internal", "available exchange without content");
  const size = Number(row.size);
  const limited = row.max_downloads !== null || (request.link?.maxDownloads ?? null) !== null;
  const etag = !limited && row.ciphertext_sha256 ? `"${row.ciphertext_sha256}"` : null;
  const range = etag && (request.ifRange === null || request.ifRange === etag) ? parseByteRange(request.range, size) : null;
  if (range === "unsatisfiable") throw new AppError("range_not_satisfiable", `${request.range} of ${size} bytes`);
  const sending = range ? range.end - range.start + 1 : size;

  let session: KmsSession | undefined;
  let endReservation: ((complete: boolean) => Promise<void>) | undefined;
  try {
    session = await kmsSessionFor(actor, mfaAt);
    const metadata = await openMetadata(session, partiesOf(row), row.metadata_ciphertext);
    const factsProblem = sealedFactsProblem(row, metadata);
    if (factsProblem) throw integrityFailure(factsProblem, `exchange ${row.id}: the database disagrees with the sealed metadata`);
    const facts = sealedFactsOf(row, metadata);
    const content = await openPartedContent({
      db,
      store: await getBlobStore(),
      row,
      session,
      keyArn: config.exchangeKeyArn,
      maxFrameBytes: config.uploads.frameBytes,
      range: range ?? { start: 0, end: size - 1 },
      dataKeyPartition: `download/${randomUUID()}`,
    });
    const sha256 = content.sha256 ?? facts.sha256;
    if (metadata.sha256 !== undefined && content.sha256 !== null && content.sha256 !== metadata.sha256) {
      content.stream.destroy();
      throw integrityFailure("sha256_mismatch", `exchange ${row.id}: manifest and metadata disagree`);
    }
    try {
      endReservation = await reserve(db, row, request.link?.id ?? null, actor);
    } catch (error) {
      content.stream.destroy();
      throw error;
    }
    const details = { bytes: sending, ...(range ? { range: `${range.start}-${range.end}/${size}` } : {}), ...(request.link ? { linkId: request.link.id } : {}) };
    await db
      .transaction((tx) => recordAuditEvent(tx, personEvent(actor, "download.started", { type: "exchange", id: row.id }, partyOrgs, { session, details })))
      .catch((error: unknown) => {
        content.stream.destroy();
        throw error;
      });
    return { stream: auditedStream(actor, row, content.stream, sending, sha256, endReservation), fileName: metadata.fileName, contentType: metadata.contentType, size, sha256, range, etag };
  } catch (error) {
    await endReservation?.(false);
    const failure = asAppError(error);
    await auditFailure(actor, failure.code === "key_service_denied" ? "download.denied" : "download.failed", failure, {
      exchangeId,
      partyOrgs,
      session,
      details: { bytesSent: 0, ...(integrityReasonOf(failure) ? { reason: integrityReasonOf(failure) } : {}) },
    });
    throw failure;
  }
}
