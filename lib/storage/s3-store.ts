import "server-only";
import { log } from "../log";
import { randomBytes } from "node:crypto";
import { PassThrough } from "node:stream";
import { finished } from "node:stream/promises";
import { openS3Bucket } from "../aws";
import type { S3Config } from "../config/load";
import { AppError } from "../errors/app-error";
import type { BlobStore, BlobWriter } from "./blob-store";

const KEY_PATTERN = /^[0-9a-f]{40}$/;
const PREFIX = "blobs/";

function objectKey(key: string): string {
  if (!KEY_PATTERN.test(key)) throw new AppError("internal", `malformed blob key ${JSON.stringify(key)}`);
  return PREFIX + key;
}

/**
 * Blobs as S3 objects (multipart, streamed). The object appears only when the last part is completed, which
 * happens before commit() resolves; its key is random and reaches the database only after commit, so an object
 * nobody committed is unreachable.
 */
export function openS3Store(config: S3Config, region: string, logLevel: "info" | "debug" = "info"): BlobStore {
  const bucket = openS3Bucket(config, region, logLevel);

  return {
    createWriter(): Promise<BlobWriter> {
      const key = randomBytes(20).toString("hex");
      const stream = new PassThrough({ highWaterMark: 1024 * 1024 });
      const { done, abort } = bucket.upload(objectKey(key), stream);
      let settled = false;
      return Promise.resolve({
        stream,
        async commit() {
          await finished(stream);
          const result = await done;
          if (!result.ok) throw result.error;
          settled = true;
          return key;
        },
        async abort() {
          if (settled) return;
          settled = true;
          stream.destroy();
          await abort();
          const result = await done;
          // A small body may have gone up as a single PutObject before the abort arrived.
          if (result.ok) await bucket.delete(objectKey(key));
        },
      });
    },
    read(key) {
      const output = new PassThrough({ highWaterMark: 1024 * 1024 });
      bucket.read(objectKey(key)).then(
        (body) => {
          body.on("error", (error) => output.destroy(error));
          output.on("close", () => body.destroy());
          body.pipe(output);
        },
        (error: unknown) => output.destroy(error as Error),
      );
      return output;
    },
    async size(key) {
      return bucket.contentLength(objectKey(key));
    },
    async delete(key) {
      await bucket.delete(objectKey(key));
    },
    async sweepAbandoned(olderThan) {
      const removed = await bucket.abortStaleMultipartUploads(PREFIX, olderThan);
      if (removed !== null) return removed;
      warnOnce("[keybridge] this S3-compatible server cannot list multipart uploads; rely on a bucket lifecycle rule (AbortIncompleteMultipartUpload) to remove abandoned parts");
      return 0;
    },
  };
}

let warned = false;
function warnOnce(message: string): void {
  if (!warned) log.warn(message);
  warned = true;
}
