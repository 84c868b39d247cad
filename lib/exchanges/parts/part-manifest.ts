import "server-only";
import { z } from "zod";
import { AppError } from "../../errors/app-error";

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * What a parted exchange consists of, in order. It is stored as its own Encryption SDK message (layout "manifest"),
 * so nobody without the recipient's KMS access can read it and nobody without the sender's can forge it: parts
 * reordered, dropped, duplicated or swapped in from another exchange no longer match it.
 */
export const PartManifestSchema = z
  .object({
    version: z.literal(1),
    exchangeId: z.uuid(),
    size: z.number().int().min(0),
    partBytes: z.number().int().positive(),
    parts: z
      .array(
        z.object({ plaintextBytes: z.number().int().min(0), plaintextSha256: sha256Hex, ciphertextBytes: z.number().int().positive(), ciphertextSha256: sha256Hex }).strict(),
      )
      .min(1),
  })
  .strict();

export type PartManifest = z.infer<typeof PartManifestSchema>;

export function serializeManifest(manifest: PartManifest): Buffer {
  return Buffer.from(JSON.stringify(PartManifestSchema.parse(manifest)), "utf8");
}

/** Parses a decrypted manifest and checks it describes this exchange and these sizes; anything else is tampering. */
export function parseManifest(plaintext: Buffer, expected: { exchangeId: string; size: number; partBytes: number; partCount: number }): PartManifest {
  let manifest: PartManifest;
  try {
    manifest = PartManifestSchema.parse(JSON.parse(plaintext.toString("utf8")));
  } catch (error) {
    throw new AppError("integrity_failure", `unreadable part manifest: ${(error as Error).message}`);
  }
  const total = manifest.parts.reduce((sum, part) => sum + part.plaintextBytes, 0);
  const matches =
    manifest.exchangeId === expected.exchangeId &&
    manifest.size === expected.size &&
    manifest.partBytes === expected.partBytes &&
    manifest.parts.length === expected.partCount &&
    total === expected.size;
  if (!matches) throw new AppError("integrity_failure", `part manifest does not describe exchange ${expected.exchangeId}`);
  return manifest;
}
