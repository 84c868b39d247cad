import "server-only";
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import type { KmsSession } from "../../aws";
import { CiphertextDigest, exchangeEncryptionContext, openDecryptedFile, partedEncryptionContext } from "../../crypto";
import type { Queryable } from "../../db";
import { AppError, isAppError } from "../../errors/app-error";
import type { BlobStore } from "../../storage";
import { partiesOf, type ExchangeRow } from "../exchange-rows";
import { integrityFailure } from "../../errors/integrity-failure";
import { parseManifest, type PartManifest } from "./part-manifest";
import { partsOf, type UploadPartRow } from "./part-rows";
import { layoutOf, partsCovering } from "./part-layout";

export interface PartedContentInput {
  db: Queryable;
  store: BlobStore;
  row: ExchangeRow;
  session: KmsSession;
  keyArn: string;
  maxFrameBytes: number;
  /** Inclusive plaintext byte range to send. */
  range: { start: number; end: number };
  /** Lets the parts of this one download share their data key's single KMS Decrypt. */
  dataKeyPartition: string;
}

export interface PartedContent {
  /** Verified plaintext of the range; errors (and the response must be cut) when a check fails. */
  stream: Readable;
  /** The whole file's SHA-256 as the manifest seals it (null for manifests sealed before it was recorded). */
  sha256: string | null;
}

interface ContentPlan {
  parts: PartManifest["parts"];
  sha256: string | null;
  partContext: Record<string, string>;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A blob of this exchange that is gone is tampering (or loss) of the exchange; other store failures stay what they are. */
function unreadable(error: unknown, what: string): unknown {
  return isAppError(error) && error.code === "not_found" ? integrityFailure("blob_unreadable", `${what}: ${error.internal ?? ""}`) : error;
}

function readBlob(store: BlobStore, key: string, what: string): Promise<Buffer> {
  return readAll(store.read(key)).catch((error: unknown) => {
    throw unreadable(error, what);
  });
}

/**
 * What the content is meant to be, checked before the first byte. A parted exchange's manifest is decrypted and the
 * stored part rows compared with it: parts dropped, duplicated, reordered or swapped in from elsewhere are refused.
 * An exchange stored as one message (before uploads were parted) has no manifest: its one part's expected digests
 * are the database's, which a database writer could change, so its content is verified against them as it streams
 * and the Encryption SDK's authenticated end of message fixes its true length.
 */
async function planOf(input: PartedContentInput, rows: UploadPartRow[]): Promise<ContentPlan> {
  const { row, store, session, keyArn, maxFrameBytes } = input;
  const parties = partiesOf(row);
  const fromRows = rows.map((part) => ({
    plaintextBytes: Number(part.plaintext_bytes),
    plaintextSha256: part.plaintext_sha256,
    ciphertextBytes: Number(part.ciphertext_bytes),
    ciphertextSha256: part.ciphertext_sha256,
  }));
  if (row.content_format === "single-message") {
    if (rows.length !== 1 || row.sha256 === null) throw integrityFailure("single_message_rows", `exchange ${row.id} has ${rows.length} part rows`);
    return { parts: fromRows, sha256: row.sha256, partContext: exchangeEncryptionContext(parties, "file-content") };
  }
  if (row.blob_key === null) throw new AppError("internal", "parted exchange without a manifest");
  const layout = layoutOf(row);
  const manifestCiphertext = await readBlob(store, row.blob_key, `manifest of exchange ${row.id}`);
  const manifestPlaintext = await openDecryptedFile({ ciphertext: Readable.from([manifestCiphertext]), session, keyArn, expectedContext: partedEncryptionContext(parties, "manifest"), maxFrameBytes })
    .then(readAll)
    .catch((error: unknown) => {
      // The key service's answers stay what they are; a message the Encryption SDK refuses means the manifest was altered.
      if (isAppError(error) && error.code !== "integrity_failure") throw error;
      throw integrityFailure("manifest_unreadable", `exchange ${row.id}: ${isAppError(error) ? error.internal : String(error)}`);
    });
  const manifest = parseManifest(manifestPlaintext, { exchangeId: row.id, size: Number(row.size), partBytes: layout.partBytes, partCount: layout.partCount });
  const rowsMatch =
    rows.length === manifest.parts.length &&
    rows.every((part, index) => part.part_number === index + 1 && part.ciphertext_sha256 === manifest.parts[index]?.ciphertextSha256 && Number(part.ciphertext_bytes) === manifest.parts[index]?.ciphertextBytes);
  if (!rowsMatch) throw integrityFailure("parts_do_not_match_manifest", `stored parts of exchange ${row.id}`);
  return { parts: manifest.parts, sha256: manifest.sha256, partContext: partedEncryptionContext(parties, "part") };
}

/**
 * Streams a range of an exchange's plaintext, part by part, releasing nothing that has not been verified:
 * - each part's ciphertext is compared with its expected size and digest (before any of it is decrypted, for parts
 *   read whole; at its end, for a single-message exchange streamed from the store);
 * - the Encryption SDK releases only frames whose tags verified;
 * - each part's plaintext is hashed and compared with the sealed per-part digest, and a whole-file download is
 *   also hashed in order and compared with the sealed whole-file digest. The piece that would complete a part (and
 *   so the response) is held back until those checks pass: a download whose content differs from what the sender
 *   sealed always ends short of its Content-Length.
 */
export async function openPartedContent(input: PartedContentInput): Promise<PartedContent> {
  const { row, store, session, keyArn, maxFrameBytes, range } = input;
  const rows = await partsOf(input.db, row.id);
  const plan = await planOf(input, rows);
  const size = Number(row.size);
  const partBytes = row.content_format === "single-message" ? Math.max(size, 1) : layoutOf(row).partBytes;
  const { first, last, skip } = partsCovering({ size, partBytes, partCount: plan.parts.length }, range.start, range.end);
  const wholeFile = range.start === 0 && range.end === size - 1;
  const streamed = row.content_format === "single-message";

  function expectedPart(partNumber: number) {
    const expected = plan.parts[partNumber - 1];
    const key = rows[partNumber - 1]?.blob_key;
    if (!expected || !key) throw integrityFailure("part_missing", `part ${partNumber} of exchange ${row.id}`);
    return { expected, key };
  }
  function readPart(partNumber: number): Promise<Buffer> {
    const { expected, key } = expectedPart(partNumber);
    const read = readBlob(store, key, `part ${partNumber} of exchange ${row.id}`).then((ciphertext) => {
      const digest = createHash("sha256").update(ciphertext).digest("hex");
      if (ciphertext.length !== expected.ciphertextBytes || digest !== expected.ciphertextSha256) throw integrityFailure("ciphertext_digest_mismatch", `part ${partNumber} of exchange ${row.id}`);
      return ciphertext;
    });
    // Nothing awaits a prefetch that is never reached (the client went away): keep its failure from going unhandled.
    read.catch(() => undefined);
    return read;
  }

  // The first part is read and checked before the response starts, so a damaged first part releases nothing.
  let next = streamed || first > last ? null : readPart(first);
  if (next) await next;

  async function* plaintext(): AsyncGenerator<Buffer> {
    const whole = wholeFile && plan.sha256 ? createHash("sha256") : null;
    let toSkip = skip;
    let remaining = range.end - range.start + 1;
    let held: Buffer | null = null;
    for (let partNumber = first; partNumber <= last; partNumber += 1) {
      const { expected, key } = expectedPart(partNumber);
      let ciphertext: Readable;
      let ciphertextCheck: (() => void) | null = null;
      if (streamed) {
        const digest = new CiphertextDigest();
        const stored = store.read(key);
        stored.once("error", (error) => digest.destroy(unreadable(error, `exchange ${row.id}`) as Error));
        ciphertext = stored.pipe(digest);
        // Stored before ciphertext digests were recorded: the Encryption SDK's frames and the plaintext digest remain.
        if (expected.ciphertextSha256)
          ciphertextCheck = () => {
            if (digest.bytes !== expected.ciphertextBytes || digest.digestHex() !== expected.ciphertextSha256) throw integrityFailure("ciphertext_digest_mismatch", `exchange ${row.id}`);
          };
      } else {
        const buffered = await (next as Promise<Buffer>);
        // Read the next part while this one is decrypted and sent.
        next = partNumber < last ? readPart(partNumber + 1) : null;
        ciphertext = Readable.from([buffered]);
      }
      const decrypted = await openDecryptedFile({ ciphertext, session, keyArn, expectedContext: plan.partContext, maxFrameBytes, dataKeyPartition: input.dataKeyPartition });
      const partHash = createHash("sha256");
      let partPlaintextBytes = 0;
      for await (const chunk of decrypted as AsyncIterable<Buffer>) {
        partHash.update(chunk);
        whole?.update(chunk);
        partPlaintextBytes += chunk.length;
        if (partPlaintextBytes > expected.plaintextBytes) throw integrityFailure("plaintext_longer_than_sealed", `part ${partNumber} of exchange ${row.id}`);
        let piece = chunk;
        if (toSkip > 0) {
          const dropped = Math.min(toSkip, piece.length);
          piece = piece.subarray(dropped);
          toSkip -= dropped;
        }
        if (piece.length > remaining) piece = piece.subarray(0, remaining);
        remaining -= piece.length;
        if (piece.length === 0) continue;
        if (held) yield held;
        held = piece;
      }
      // The part is decrypted to its end even past the range, so it can be verified before its last piece goes out.
      ciphertextCheck?.();
      if (partPlaintextBytes !== expected.plaintextBytes || partHash.digest("hex") !== expected.plaintextSha256) throw integrityFailure("plaintext_digest_mismatch", `part ${partNumber} of exchange ${row.id}`);
      if (whole && partNumber === plan.parts.length && whole.digest("hex") !== plan.sha256) throw integrityFailure("file_digest_mismatch", `exchange ${row.id}`);
      if (held) yield held;
      held = null;
    }
  }
  return { stream: Readable.from(plaintext(), { objectMode: false }), sha256: plan.sha256 };
}
