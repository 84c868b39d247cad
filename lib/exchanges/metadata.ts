import "server-only";
import { z } from "zod";
import { decryptSmallSecret, encryptSmallSecret, SMALL_SECRET_MAX_BYTES, type KmsSession } from "../aws";
import { exchangeEncryptionContext, type ExchangeParties } from "../crypto";
import { AppError } from "../errors/app-error";

/** The sensitive, small facts about a file: encrypted with kms:Encrypt as one ciphertext, never stored in the clear. */
export const ExchangeMetadataSchema = z.object({
  fileName: z.string().min(1).max(1000),
  contentType: z.string().max(255),
  message: z.string().max(2000),
});

export type ExchangeMetadata = z.infer<typeof ExchangeMetadataSchema>;

export async function sealMetadata(session: KmsSession, exchange: ExchangeParties, metadata: ExchangeMetadata): Promise<Buffer> {
  const plaintext = Buffer.from(JSON.stringify(metadata), "utf8");
  if (plaintext.byteLength > SMALL_SECRET_MAX_BYTES) throw new AppError("metadata_too_long", `${plaintext.byteLength} bytes of metadata`);
  return encryptSmallSecret(session, plaintext, exchangeEncryptionContext(exchange, "metadata"));
}

export async function openMetadata(session: KmsSession, exchange: ExchangeParties, ciphertext: Uint8Array): Promise<ExchangeMetadata> {
  const plaintext = await decryptSmallSecret(session, ciphertext, exchangeEncryptionContext(exchange, "metadata"));
  return ExchangeMetadataSchema.parse(JSON.parse(plaintext.toString("utf8")));
}
