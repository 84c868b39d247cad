import type { Readable, Writable } from "node:stream";

/** A blob being written: nothing is visible under its key until commit() succeeds. */
export interface BlobWriter {
  stream: Writable;
  /** Makes the blob durable and visible; resolves to its key. */
  commit(): Promise<string>;
  /** Discards everything written; safe to call more than once or after a failed commit. */
  abort(): Promise<void>;
}

/** Blob keys are random and reveal nothing about the exchange, file or parties. */
export interface BlobStore {
  createWriter(): Promise<BlobWriter>;
  read(key: string): Readable;
  size(key: string): Promise<number>;
  delete(key: string): Promise<void>;
  /** Removes writes abandoned by a crash before `olderThan`; returns how many. */
  sweepAbandoned(olderThan: Date): Promise<number>;
}

/** Errors that mean the store itself failed (full, over quota, broken), not the upload or the key service. */
const STORAGE_ERROR_CODES = new Set(["ENOSPC", "EDQUOT", "EIO", "EROFS", "EMFILE"]);

export function isStorageFailure(error: unknown): boolean {
  return STORAGE_ERROR_CODES.has((error as { code?: string } | null)?.code ?? "");
}
