import "server-only";
import { z } from "zod";
import { Sha256HexSchema } from "../../contract/transfer";
import { AppError } from "../../errors/app-error";

const ManifestPartSchema = z
  .object({ plaintextBytes: z.number().int().min(0), plaintextSha256: Sha256HexSchema, ciphertextBytes: z.number().int().positive(), ciphertextSha256: Sha256HexSchema })
  .strict();

const manifestFields = {
  exchangeId: z.uuid(),
  size: z.number().int().min(0),
  partBytes: z.number().int().positive(),
  parts: z.array(ManifestPartSchema).min(1),
};

/** Manifests sealed before the sender's browser declared the whole file's digest; still read, never written. */
const ManifestV1Schema = z.object({ version: z.literal(1), ...manifestFields }).strict();

/**
 * What a parted exchange consists of, in order, and the SHA-256 of the whole plaintext as the sender's client read
 * it. It is stored as its own Encryption SDK message (layout "manifest"), so nobody without the recipient's KMS
 * access can read it and nobody without the sender's can forge it: parts reordered, dropped, duplicated or swapped in
 * from another exchange no longer match it, and neither does content whose whole-file digest differs.
 */
export const PartManifestSchema = z.object({ version: z.literal(2), ...manifestFields, sha256: Sha256HexSchema }).strict();

export type SealedPartManifest = z.infer<typeof PartManifestSchema>;

/** A manifest as read: `sha256` is null for version 1, which did not record it. */
export type PartManifest = Omit<SealedPartManifest, "version" | "sha256"> & { version: 1 | 2; sha256: string | null };

export function serializeManifest(manifest: SealedPartManifest): Buffer {
  return Buffer.from(JSON.stringify(PartManifestSchema.parse(manifest)), "utf8");
}

/** Parses a decrypted manifest and checks it describes this exchange and these sizes; anything else is tampering. */
export function parseManifest(plaintext: Buffer, expected: { exchangeId: string; size: number; partBytes: number; partCount: number }): PartManifest {
  let manifest: PartManifest;
  try {
    const parsed = z.discriminatedUnion("version", [ManifestV1Schema, PartManifestSchema]).parse(JSON.parse(plaintext.toString("utf8")));
    manifest = parsed.version === 1 ? { ...parsed, sha256: null } : parsed;
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
