import type { Readable, Writable } from "node:stream";

/** A blob being written: nothing is visible under its key until commit() succeeds. */
export interface BlobWriter {
  stream: Writable;
  /** Makes the blob durable and visible; resolves to its key. */
  commit(): Promise<string>;
  /** Discards everything written; safe to call more than once or after a failed commit. */
  abort(): Promise<void>;
}

/**
 * Blob keys are random and reveal nothing about the exchange, file or parties. Every failure, of a call or of a
 * stream, is an AppError: `not_found` for a key with no blob, `storage_failure` when the store itself fails.
 */
export interface BlobStore {
  createWriter(): Promise<BlobWriter>;
  read(key: string): Readable;
  size(key: string): Promise<number>;
  delete(key: string): Promise<void>;
  /** Removes writes abandoned by a crash before `olderThan`; returns how many. */
  sweepAbandoned(olderThan: Date): Promise<number>;
}
