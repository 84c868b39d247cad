/*
 * Symmetric ciphertext blobs. Opaque to clients; this is the whole format (version 1):
 *
 *   offset  size  field
 *   0       1     format version, 0x01
 *   1       16    KMS key id (the key's UUID as 16 bytes)
 *   17      32    backing key id (the key material generation that encrypted; AWS's KeyMaterialId, hex)
 *   49      12    random IV
 *   61      n     AES-256-GCM ciphertext of the plaintext (n = plaintext length)
 *   61+n    16    GCM tag
 *
 * Authenticated data = bytes 0..48 (version, key id, backing key id) followed by the canonical encryption
 * context (see canonicalEncryptionContext). A changed byte anywhere, or a missing, extra or different
 * context, fails the tag check. The key id in the blob is what lets Decrypt work without a KeyId.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { canonicalEncryptionContext } from "./encryption-context";
import type { BackingKey, EncryptionContext } from "./model";
import { uuidFromBytes, uuidToBytes } from "./uuid-bytes";

const VERSION = 1;
const KEY_ID_BYTES = 16;
const BACKING_ID_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const AAD_END = 1 + KEY_ID_BYTES + BACKING_ID_BYTES;
const HEADER_BYTES = AAD_END + IV_BYTES;

/** The smallest blob that can hold a one-byte plaintext; anything shorter is not ours. */
const MIN_CIPHERTEXT_BYTES = HEADER_BYTES + 1 + TAG_BYTES;

function additionalData(header: Buffer, context: EncryptionContext): Buffer {
  return Buffer.concat([header.subarray(0, AAD_END), canonicalEncryptionContext(context)]);
}

export function seal(keyId: string, backingKey: BackingKey, plaintext: Uint8Array, context: EncryptionContext): Buffer {
  const header = Buffer.concat([Buffer.from([VERSION]), uuidToBytes(keyId), Buffer.from(backingKey.id, "hex"), randomBytes(IV_BYTES)]);
  const cipher = createCipheriv("aes-256-gcm", backingKey.material, header.subarray(AAD_END, HEADER_BYTES));
  cipher.setAAD(additionalData(header, context));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, body, cipher.getAuthTag()]);
}

export interface ParsedCiphertext {
  keyId: string;
  backingKeyId: string;
  blob: Buffer;
}

/** Reads the unauthenticated header, to find the key; null when the blob cannot be one of ours. */
export function parseCiphertext(blob: Buffer): ParsedCiphertext | null {
  if (blob.length < MIN_CIPHERTEXT_BYTES || blob[0] !== VERSION) return null;
  return {
    keyId: uuidFromBytes(blob.subarray(1, 1 + KEY_ID_BYTES)),
    backingKeyId: blob.subarray(1 + KEY_ID_BYTES, AAD_END).toString("hex"),
    blob,
  };
}

/** The plaintext, or null when the tag does not verify (tampered blob, wrong context or wrong key). */
export function open(parsed: ParsedCiphertext, backingKey: BackingKey, context: EncryptionContext): Buffer | null {
  const { blob } = parsed;
  const decipher = createDecipheriv("aes-256-gcm", backingKey.material, blob.subarray(AAD_END, HEADER_BYTES));
  decipher.setAAD(additionalData(blob, context));
  decipher.setAuthTag(blob.subarray(blob.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(blob.subarray(HEADER_BYTES, blob.length - TAG_BYTES)), decipher.final()]);
  } catch {
    return null;
  }
}

export function newBackingKey(now: Date): BackingKey {
  return { id: randomBytes(BACKING_ID_BYTES).toString("hex"), material: randomBytes(32), createdAt: now };
}
