import "server-only";
import { getConfig } from "../config";
import { AppError } from "../errors/app-error";
import type { KmsSession } from "./kms-session";

/** kms:Encrypt's own limit: anything larger goes through data keys (the Encryption SDK). */
export const SMALL_SECRET_MAX_BYTES = 4096;

export async function encryptSmallSecret(session: KmsSession, plaintext: Uint8Array, context: Record<string, string>): Promise<Buffer> {
  if (plaintext.byteLength === 0 || plaintext.byteLength > SMALL_SECRET_MAX_BYTES) {
    throw new AppError("metadata_too_long", `small secret of ${plaintext.byteLength} bytes`);
  }
  const output = await session.client.encrypt({ KeyId: getConfig().exchangeKeyArn, Plaintext: plaintext, EncryptionContext: context }).catch((error: unknown) => {
    throw session.failure(error);
  });
  if (!output.CiphertextBlob) throw new AppError("internal", "KMS Encrypt answered without a ciphertext");
  return Buffer.from(output.CiphertextBlob);
}

/** KeyId is pinned so that a ciphertext made under another key is refused rather than decrypted with it. */
export async function decryptSmallSecret(session: KmsSession, ciphertext: Uint8Array, context: Record<string, string>): Promise<Buffer> {
  const output = await session.client.decrypt({ KeyId: getConfig().exchangeKeyArn, CiphertextBlob: ciphertext, EncryptionContext: context }).catch((error: unknown) => {
    throw session.failure(error);
  });
  if (!output.Plaintext) throw new AppError("internal", "KMS Decrypt answered without plaintext");
  return Buffer.from(output.Plaintext);
}
