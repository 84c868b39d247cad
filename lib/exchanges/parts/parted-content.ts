import "server-only";
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import type { KmsKeyringClient } from "../../aws";
import { openDecryptedFile, partedEncryptionContext } from "../../crypto";
import type { Queryable } from "../../db";
import { AppError } from "../../errors/app-error";
import type { BlobStore } from "../../storage";
import { partiesOf, type ExchangeRow } from "../exchange-rows";
import { parseManifest, type PartManifest } from "./part-manifest";
import { partsOf } from "./part-rows";
import { layoutOf, partsCovering } from "./part-layout";

export interface PartedContentInput {
  db: Queryable;
  store: BlobStore;
  row: ExchangeRow;
  kms: KmsKeyringClient;
  keyArn: string;
  maxFrameBytes: number;
  /** Inclusive plaintext byte range to send. */
  range: { start: number; end: number };
  /** Lets the parts of this one download share their data key's single KMS Decrypt. */
  dataKeyPartition: string;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Decrypts and checks the manifest, and checks the stored part rows against it, all before the first byte: parts
 * dropped, duplicated, reordered or swapped in from elsewhere are refused here. Then streams the range part by
 * part; each part's ciphertext is compared with the manifest's digest before any of it is decrypted, and the
 * Encryption SDK releases only frames whose tags verified.
 */
export async function openPartedContent(input: PartedContentInput): Promise<Readable> {
  const { row, store, kms, keyArn, maxFrameBytes, range } = input;
  if (row.blob_key === null) throw new AppError("internal", "parted exchange without a manifest");
  const layout = layoutOf(row);
  const parties = partiesOf(row);
  const manifestPlaintext = await readAll(
    await openDecryptedFile({ ciphertext: store.read(row.blob_key), kms, keyArn, expectedContext: partedEncryptionContext(parties, "manifest"), maxFrameBytes }),
  );
  const manifest = parseManifest(manifestPlaintext, { exchangeId: row.id, size: Number(row.size), partBytes: layout.partBytes, partCount: layout.partCount });
  const rows = await partsOf(input.db, row.id);
  const rowsMatch =
    rows.length === manifest.parts.length &&
    rows.every((part, index) => part.part_number === index + 1 && part.ciphertext_sha256 === manifest.parts[index]?.ciphertextSha256 && Number(part.ciphertext_bytes) === manifest.parts[index]?.ciphertextBytes);
  if (!rowsMatch) throw new AppError("integrity_failure", `stored parts of exchange ${row.id} do not match its manifest`);

  const { first, last, skip } = partsCovering(layout, range.start, range.end);
  // The first part is read and checked before the response starts, so a damaged first part releases nothing.
  let next = first <= last ? readPart(first) : Promise.resolve(Buffer.alloc(0));
  await next;
  async function* plaintext(): AsyncGenerator<Buffer> {
    let toSkip = skip;
    let remaining = range.end - range.start + 1;
    for (let partNumber = first; partNumber <= last && remaining > 0; partNumber += 1) {
      const ciphertext = await next;
      // Read the next part while this one is decrypted and sent.
      if (partNumber < last) next = readPart(partNumber + 1);
      const decrypted = await openDecryptedFile({
        ciphertext: Readable.from([ciphertext]),
        kms,
        keyArn,
        expectedContext: partedEncryptionContext(parties, "part"),
        maxFrameBytes,
        dataKeyPartition: input.dataKeyPartition,
      });
      for await (const chunk of decrypted as AsyncIterable<Buffer>) {
        let piece = chunk;
        if (toSkip > 0) {
          const dropped = Math.min(toSkip, piece.length);
          piece = piece.subarray(dropped);
          toSkip -= dropped;
        }
        if (piece.length > remaining) piece = piece.subarray(0, remaining);
        remaining -= piece.length;
        if (piece.length > 0) yield piece;
        if (remaining === 0) break;
      }
    }
  }
  function readPart(partNumber: number): Promise<Buffer> {
    const expected = manifest.parts[partNumber - 1] as PartManifest["parts"][number];
    const key = rows[partNumber - 1]?.blob_key as string;
    const read = readAll(store.read(key)).then((ciphertext) => {
      const digest = createHash("sha256").update(ciphertext).digest("hex");
      if (ciphertext.length !== expected.ciphertextBytes || digest !== expected.ciphertextSha256) throw new AppError("integrity_failure", `part ${partNumber} of exchange ${row.id}: ciphertext_digest_mismatch`);
      return ciphertext;
    });
    // Nothing awaits a prefetch that is never reached (the client went away): keep its failure from going unhandled.
    read.catch(() => undefined);
    return read;
  }
  return Readable.from(plaintext(), { objectMode: false });
}
