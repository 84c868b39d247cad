import "server-only";
import type { Readable } from "node:stream";
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
import { translatingFailures, type AppError } from "../errors/app-error";
import { translateStreamErrors } from "../errors/stream-errors";
import { awsSdkLogger } from "../log";
import { withRequestIds } from "./client-options";
import { storageServiceFailure } from "./errors";

/** Memory per upload stays near PART_BYTES × (QUEUE_SIZE + 1), whatever the file's size. */
const PART_BYTES = 8 * 1024 * 1024;
const QUEUE_SIZE = 2;

export interface ObjectUpload {
  /** Settles when the last part is completed (or the upload failed); never rejects. */
  done: Promise<{ ok: true } | { ok: false; error: AppError }>;
  abort: () => Promise<void>;
}

/** Every failure of these calls, and of the streams they return, is an AppError from storageServiceFailure. */
export interface S3Bucket {
  upload(key: string, body: Readable): ObjectUpload;
  read(key: string): Promise<Readable>;
  contentLength(key: string): Promise<number>;
  delete(key: string): Promise<void>;
  /** Aborts multipart uploads under `prefix` begun before `olderThan`; null when the server cannot list them. */
  abortStaleMultipartUploads(prefix: string, olderThan: Date): Promise<number | null>;
}

/**
 * The one S3 client: the same retries, timeouts and debug logging as the KMS and STS clients (lib/aws/client-options),
 * with the bucket's own endpoint. A longer idle timeout than KMS's, since a part upload moves megabytes.
 */
export function openS3Bucket(config: S3Config, region: string, logLevel: "info" | "debug"): S3Bucket {
  const client = withRequestIds(new S3Client({
    region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle,
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 30_000 },
    ...(logLevel === "debug" ? { logger: awsSdkLogger() } : {}),
  }));
  const encryption = {
    ...(config.serverSideEncryption ? { ServerSideEncryption: config.serverSideEncryption as ServerSideEncryption } : {}),
    ...(config.sseKmsKeyId ? { SSEKMSKeyId: config.sseKmsKeyId } : {}),
  };
  const Bucket = config.bucket;

  return {
    upload(Key, Body) {
      const upload = new Upload({ client, params: { Bucket, Key, Body, ...encryption }, partSize: PART_BYTES, queueSize: QUEUE_SIZE, leavePartsOnError: false });
      const done = upload.done().then(
        () => ({ ok: true as const }),
        (error: unknown) => ({ ok: false as const, error: storageServiceFailure(error, `upload ${Key}`) }),
      );
      return { done, abort: () => upload.abort().catch(() => undefined) };
    },
    async read(Key) {
      const response = await translated(`read ${Key}`, () => client.send(new GetObjectCommand({ Bucket, Key })));
      return translateStreamErrors(response.Body as Readable, (error) => storageServiceFailure(error, `read ${Key}`));
    },
    async contentLength(Key) {
      const head = await translated(`head ${Key}`, () => client.send(new HeadObjectCommand({ Bucket, Key })));
      return head.ContentLength ?? 0;
    },
    async delete(Key) {
      await translated(`delete ${Key}`, () => client.send(new DeleteObjectCommand({ Bucket, Key })));
    },
    async abortStaleMultipartUploads(Prefix, olderThan) {
      let removed = 0;
      let KeyMarker: string | undefined;
      let UploadIdMarker: string | undefined;
      try {
        do {
          const page = await client.send(new ListMultipartUploadsCommand({ Bucket, Prefix, KeyMarker, UploadIdMarker }));
          for (const upload of page.Uploads ?? []) {
            if (!upload.Key || !upload.UploadId || !upload.Initiated || upload.Initiated >= olderThan) continue;
            await client.send(new AbortMultipartUploadCommand({ Bucket, Key: upload.Key, UploadId: upload.UploadId }));
            removed += 1;
          }
          ({ NextKeyMarker: KeyMarker, NextUploadIdMarker: UploadIdMarker } = page.IsTruncated ? page : { NextKeyMarker: undefined, NextUploadIdMarker: undefined });
        } while (KeyMarker);
      } catch (error) {
        if ((error as { name?: string }).name === "NotImplemented") return null;
        throw storageServiceFailure(error, `list multipart uploads under ${Prefix}`);
      }
      return removed;
    },
  };
}

function translated<T>(what: string, call: () => Promise<T>): Promise<T> {
  return translatingFailures(call, (error) => storageServiceFailure(error, what));
}
