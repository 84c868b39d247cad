import "server-only";
import { randomBytes } from "node:crypto";
import { PassThrough, Readable } from "node:stream";
import { finished } from "node:stream/promises";
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  S3Client,
  type ServerSideEncryption,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import type { S3Config } from "../config/load";
import { AppError } from "../errors/app-error";
import type { BlobStore, BlobWriter } from "./blob-store";

const KEY_PATTERN = /^[0-9a-f]{40}$/;
const PREFIX = "blobs/";
/** Memory per upload stays near PART_BYTES × (QUEUE_SIZE + 1), whatever the file's size. */
const PART_BYTES = 8 * 1024 * 1024;
const QUEUE_SIZE = 2;

function objectKey(key: string): string {
  if (!KEY_PATTERN.test(key)) throw new AppError("internal", `malformed blob key ${JSON.stringify(key)}`);
  return PREFIX + key;
}

/**
 * Blobs as S3 objects (multipart, streamed). The object appears only when the last part is completed, which
 * happens before commit() resolves; its key is random and reaches the database only after commit, so an object
 * nobody committed is unreachable.
 */
export function openS3Store(config: S3Config, region: string): BlobStore {
  const client = new S3Client({ region, endpoint: config.endpoint, forcePathStyle: config.forcePathStyle });
  const encryption = {
    ...(config.serverSideEncryption ? { ServerSideEncryption: config.serverSideEncryption as ServerSideEncryption } : {}),
    ...(config.sseKmsKeyId ? { SSEKMSKeyId: config.sseKmsKeyId } : {}),
  };
  const Bucket = config.bucket;

  return {
    async createWriter(): Promise<BlobWriter> {
      const key = randomBytes(20).toString("hex");
      const stream = new PassThrough({ highWaterMark: 1024 * 1024 });
      const upload = new Upload({ client, params: { Bucket, Key: objectKey(key), Body: stream, ...encryption }, partSize: PART_BYTES, queueSize: QUEUE_SIZE, leavePartsOnError: false });
      const done = upload.done().then(
        () => ({ ok: true as const }),
        (error: unknown) => ({ ok: false as const, error }),
      );
      let settled = false;
      return {
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
          await upload.abort().catch(() => undefined);
          const result = await done;
          // A small body may have gone up as a single PutObject before the abort arrived.
          if (result.ok) await client.send(new DeleteObjectCommand({ Bucket, Key: objectKey(key) }));
        },
      };
    },
    read(key) {
      const output = new PassThrough({ highWaterMark: 1024 * 1024 });
      client.send(new GetObjectCommand({ Bucket, Key: objectKey(key) })).then(
        (response) => {
          const body = response.Body as Readable;
          body.on("error", (error) => output.destroy(error));
          output.on("close", () => body.destroy());
          body.pipe(output);
        },
        (error: unknown) => output.destroy(error as Error),
      );
      return output;
    },
    async size(key) {
      const head = await client.send(new HeadObjectCommand({ Bucket, Key: objectKey(key) }));
      return head.ContentLength ?? 0;
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: objectKey(key) }));
    },
    async sweepAbandoned(olderThan) {
      try {
        return await abortStaleMultipartUploads(olderThan);
      } catch (error) {
        if ((error as { name?: string }).name !== "NotImplemented") throw error;
        warnOnce("[keybridge] this S3-compatible server cannot list multipart uploads; rely on a bucket lifecycle rule (AbortIncompleteMultipartUpload) to remove abandoned parts");
        return 0;
      }
    },
  };

  async function abortStaleMultipartUploads(olderThan: Date): Promise<number> {
    let removed = 0;
    let KeyMarker: string | undefined;
    let UploadIdMarker: string | undefined;
    do {
      const page = await client.send(new ListMultipartUploadsCommand({ Bucket, Prefix: PREFIX, KeyMarker, UploadIdMarker }));
      for (const upload of page.Uploads ?? []) {
        if (!upload.Key || !upload.UploadId || !upload.Initiated || upload.Initiated >= olderThan) continue;
        await client.send(new AbortMultipartUploadCommand({ Bucket, Key: upload.Key, UploadId: upload.UploadId }));
        removed += 1;
      }
      ({ NextKeyMarker: KeyMarker, NextUploadIdMarker: UploadIdMarker } = page.IsTruncated ? page : { NextKeyMarker: undefined, NextUploadIdMarker: undefined });
    } while (KeyMarker);
    return removed;
  }
}

let warned = false;
function warnOnce(message: string): void {
  if (!warned) console.warn(message);
  warned = true;
}
