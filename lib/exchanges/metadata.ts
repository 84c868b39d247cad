import "server-only";
import { z } from "zod";
import { decryptSmallSecret, encryptSmallSecret, SMALL_SECRET_MAX_BYTES, type KmsSession } from "../aws";
import { exchangeEncryptionContext, type ExchangeParties } from "../crypto";
import { AppError } from "../errors/app-error";

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * The sensitive, small facts about a file, and every fact a recipient is shown as true: encrypted with kms:Encrypt
 * as one ciphertext under the exchange's context, so nobody who can only write the database can change them. The
 * optional fields are absent from exchanges stored before they were sealed (and `sha256` until the upload finished).
 */
export const ExchangeMetadataSchema = z.object({
  fileName: z.string().min(1).max(1000),
  contentType: z.string().max(255),
  message: z.string().max(2000),
  sender: z.object({ userId: z.uuid(), displayName: z.string().min(1).max(200) }).optional(),
  /** Plaintext bytes; fixed when the upload is created (the part layout depends on it). */
  size: z.number().int().min(0).optional(),
  /** The whole plaintext's SHA-256, as the sender's client declared it when the upload finished. */
  sha256: sha256Hex.optional(),
  /** Who may download: named people of the recipient organization (null: all its members), and how many times. */
  audience: z.object({ userIds: z.array(z.uuid()).max(200).nullable(), maxDownloads: z.number().int().positive().nullable() }).optional(),
});

export type ExchangeMetadata = z.infer<typeof ExchangeMetadataSchema>;

export async function sealMetadata(session: KmsSession, exchange: ExchangeParties, metadata: ExchangeMetadata): Promise<Buffer> {
  const plaintext = Buffer.from(JSON.stringify(ExchangeMetadataSchema.parse(metadata)), "utf8");
  if (plaintext.byteLength > SMALL_SECRET_MAX_BYTES) throw new AppError("metadata_too_long", `${plaintext.byteLength} bytes of metadata`);
  return encryptSmallSecret(session, plaintext, exchangeEncryptionContext(exchange, "metadata"));
}

export async function openMetadata(session: KmsSession, exchange: ExchangeParties, ciphertext: Uint8Array): Promise<ExchangeMetadata> {
  const plaintext = await decryptSmallSecret(session, ciphertext, exchangeEncryptionContext(exchange, "metadata"));
  try {
    return ExchangeMetadataSchema.parse(JSON.parse(plaintext.toString("utf8")));
  } catch (error) {
    throw new AppError("integrity_failure", `unreadable metadata of exchange ${exchange.id}: ${(error as Error).message}`);
  }
}
