// The upload protocol, in one module that the route handlers, the browser, the tests and the benchmark all import:
// the part layout, every request and response body, the header that carries a part's digest, and the error body.
// Plain TypeScript and zod, no server modules, so that a client bundle can take it whole.
import { z } from "zod";

/* ------------------------------------------------------------------------------------------------------------------
 * Part layout: every part is `partBytes` long but the last; an empty file is one empty part.
 * ---------------------------------------------------------------------------------------------------------------- */

export interface PartLayout {
  size: number;
  partBytes: number;
  partCount: number;
}

export function partCountFor(size: number, partBytes: number): number {
  return Math.max(1, Math.ceil(size / partBytes));
}

/** A layout whose numbers cannot describe a file (the server's answer garbled, a stored entry edited) is refused. */
export function isConsistentLayout(layout: PartLayout): boolean {
  return (
    Number.isSafeInteger(layout.size) &&
    layout.size >= 0 &&
    Number.isSafeInteger(layout.partBytes) &&
    layout.partBytes > 0 &&
    Number.isSafeInteger(layout.partCount) &&
    layout.partCount === partCountFor(layout.size, layout.partBytes)
  );
}

/** The plaintext bytes [start, end) of part `partNumber` (1-based). */
export function partRange(layout: PartLayout, partNumber: number): { start: number; end: number } {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > layout.partCount) throw new RangeError(`part ${partNumber} of ${layout.partCount}`);
  const start = (partNumber - 1) * layout.partBytes;
  return { start, end: Math.min(start + layout.partBytes, layout.size) };
}

export function partSize(layout: PartLayout, partNumber: number): number {
  const { start, end } = partRange(layout, partNumber);
  return end - start;
}

/** The parts covering plaintext bytes [start, end] (inclusive), with how much to skip in the first. */
export function partsCovering(layout: PartLayout, start: number, end: number): { first: number; last: number; skip: number } {
  const first = Math.floor(start / layout.partBytes) + 1;
  const last = Math.min(layout.partCount, Math.floor(end / layout.partBytes) + 1);
  return { first, last, skip: start - (first - 1) * layout.partBytes };
}

/* ------------------------------------------------------------------------------------------------------------------
 * Addresses and headers.
 * ---------------------------------------------------------------------------------------------------------------- */

export const UPLOADS_PATH = "/api/uploads";
export const uploadPath = (exchangeId: string) => `${UPLOADS_PATH}/${encodeURIComponent(exchangeId)}`;
export const partsPath = (exchangeId: string) => `${uploadPath(exchangeId)}/parts`;
export const partPath = (exchangeId: string, partNumber: number) => `${partsPath(exchangeId)}/${partNumber}`;
export const completePath = (exchangeId: string) => `${uploadPath(exchangeId)}/complete`;

/**
 * The lowercase hex SHA-256 of the part's plaintext, as the sender's client read it. Required on every part: the
 * server compares it with what it encrypted, so bytes changed between the file and the server are refused.
 */
export const PART_SHA256_HEADER = "X-Keybridge-Part-Sha256";

export const Sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, "a SHA-256 is 64 lowercase hexadecimal characters");

/** The `:part` path segment: a whole number from 1, at most 7 digits. */
export const PartNumberParamSchema = z
  .string()
  .regex(/^[1-9]\d{0,6}$/, "the part number must be a whole number from 1")
  .transform(Number);

/* ------------------------------------------------------------------------------------------------------------------
 * Requests and responses.
 * ---------------------------------------------------------------------------------------------------------------- */

/**
 * Who may download an exchange, on every route (Inbox, share links, API): sealed with its metadata, enforced by the
 * one access decision. A share link can narrow it, never widen it.
 */
const audienceFields = {
  /** Only these people of the recipient organization (empty: all its members). */
  recipientUserIds: z.array(z.uuid()).max(200, "at most 200 named recipients").default([]),
  /** Downloads allowed in all, whoever makes them (null: no limit). */
  maxDownloads: z.number().int().min(1).max(10_000).nullable().default(null),
};

/** POST /api/uploads */
export const CreateUploadRequestSchema = z.object({
  recipientOrg: z.string().min(1).max(32),
  fileName: z.string().trim().min(1, "a file name is required").max(1000, "the file name is longer than 1,000 characters"),
  contentType: z.string().max(255).default("application/octet-stream"),
  message: z.string().max(2000, "the message is longer than 2,000 characters").default(""),
  size: z.number().int().min(0),
  ...audienceFields,
});
export type CreateUploadRequest = z.input<typeof CreateUploadRequestSchema>;

/** 201 from POST /api/uploads: where the parts go and how the file is cut into them. */
export const CreatedUploadSchema = z.object({
  exchangeId: z.uuid(),
  partsUrl: z.string(),
  partBytes: z.number().int().positive(),
  partCount: z.number().int().positive(),
});
export type CreatedUpload = z.infer<typeof CreatedUploadSchema>;

/** 200 from PUT /api/uploads/:id/parts/:n (body: the part's bytes; header PART_SHA256_HEADER). */
export const PartReceiptSchema = z.object({
  partNumber: z.number().int().positive(),
  /** Plaintext bytes stored. */
  bytes: z.number().int().min(0),
  /** SHA-256 of the plaintext stored, equal to the one the client declared. */
  sha256: Sha256HexSchema,
});
export type PartReceipt = z.infer<typeof PartReceiptSchema>;

/** 200 from GET /api/uploads/:id/parts: what a client needs to resume, including what each stored part holds. */
export const UploadStatusSchema = z.object({
  exchangeId: z.uuid(),
  size: z.number().int().min(0),
  partBytes: z.number().int().positive(),
  partCount: z.number().int().positive(),
  /** The stored parts, ascending: a resuming client re-hashes each one's slice of its file before skipping it. */
  parts: z.array(PartReceiptSchema),
  /** The numbers of `parts`, for clients that only need to know which are missing. */
  storedParts: z.array(z.number().int().positive()),
  storedBytes: z.number().int().min(0),
  /** When the upload is swept if nothing more arrives. */
  expiresAt: z.string(),
});
export type UploadStatus = z.infer<typeof UploadStatusSchema>;

/** POST /api/uploads/:id/complete: the whole file's SHA-256 as the client read it, in order. */
export const CompleteUploadRequestSchema = z.object({ sha256: Sha256HexSchema }).strict();
export type CompleteUploadRequest = z.infer<typeof CompleteUploadRequestSchema>;

/** 200 from POST /api/uploads/:id/complete. */
export const CompletedUploadSchema = z.object({
  exchangeId: z.uuid(),
  size: z.number().int().min(0),
  partCount: z.number().int().positive(),
  /** The whole file's SHA-256, sealed in the encrypted manifest and metadata. */
  sha256: Sha256HexSchema,
});
export type CompletedUpload = z.infer<typeof CompletedUploadSchema>;

/* ------------------------------------------------------------------------------------------------------------------
 * Errors.
 * ---------------------------------------------------------------------------------------------------------------- */

/**
 * Every error a Keybridge route sends. `message` is for the person; `retryable` says whether sending the same request
 * again can help (wait for Retry-After when it is given), so that no client guesses from a status code.
 */
export const ErrorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), retryable: z.boolean() }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
