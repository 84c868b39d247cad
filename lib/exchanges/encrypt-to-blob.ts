import "server-only";
import type { Readable } from "node:stream";
import type { KmsSession } from "../aws";
import { getConfig } from "../config";
import { CiphertextDigest, encryptFile } from "../crypto";
import { getBlobStore } from "../storage";

export interface StoredCiphertext {
  blobKey: string;
  plaintextBytes: number;
  plaintextSha256: string;
  ciphertextBytes: number;
  ciphertextSha256: string;
}

export interface EncryptToBlobInput {
  plaintext: Readable;
  session: KmsSession;
  encryptionContext: Record<string, string>;
  /** Exactly this many plaintext bytes, or the write fails. */
  expectedBytes: number;
  /** Shares a cached data key with other messages of the same partition (the parts of one upload). */
  dataKeyPartition?: string;
}

/**
 * Encrypts `plaintext` as one Encryption SDK message into a new blob, hashing the ciphertext on its way so that a
 * download can check it before decrypting. Any failure discards the partial blob; nothing is visible until commit.
 */
export async function encryptToNewBlob(input: EncryptToBlobInput): Promise<StoredCiphertext> {
  const config = getConfig();
  const writer = await (await getBlobStore()).createWriter();
  try {
    const ciphertext = new CiphertextDigest();
    // A store that fails (disk full, S3 refusing) must fail the encryption too, or the upload would stall.
    writer.stream.once("error", (error) => ciphertext.destroy(error));
    ciphertext.pipe(writer.stream);
    const { plaintextBytes, plaintextSha256 } = await encryptFile({
      plaintext: input.plaintext,
      sink: ciphertext,
      session: input.session,
      keyArn: config.exchangeKeyArn,
      encryptionContext: input.encryptionContext,
      frameBytes: config.uploads.frameBytes,
      expectedBytes: input.expectedBytes,
      dataKeyPartition: input.dataKeyPartition,
    });
    const blobKey = await writer.commit();
    return { blobKey, plaintextBytes, plaintextSha256, ciphertextBytes: ciphertext.bytes, ciphertextSha256: ciphertext.digestHex() };
  } catch (error) {
    await writer.abort();
    throw error;
  }
}
