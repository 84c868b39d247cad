// Both blob stores keep one contract: nothing is readable under a key before commit, abort leaves nothing,
// and what was written comes back byte for byte.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { after, before, describe, test } from "node:test";
import { openLocalDiskStore } from "../../lib/storage/local-disk-store";
import { openS3Store } from "../../lib/storage/s3-store";
import type { BlobStore } from "../../lib/storage";
import { generatedStream, sha256 } from "../support/bytes";
import { startLocalS3, type LocalS3 } from "../support/s3";
import { APP_ACCESS_KEY_ID, APP_SECRET_ACCESS_KEY, REGION } from "../support/stack";

let s3: LocalS3;
const diskRoot = mkdtempSync(join(tmpdir(), "keybridge-blobs-"));

before(async () => {
  s3 = await startLocalS3();
  process.env.AWS_ACCESS_KEY_ID = APP_ACCESS_KEY_ID;
  process.env.AWS_SECRET_ACCESS_KEY = APP_SECRET_ACCESS_KEY;
});

after(async () => {
  await s3?.stop();
  rmSync(diskRoot, { recursive: true, force: true });
});

const stores: Array<[string, () => Promise<BlobStore>, () => string[]]> = [
  ["local disk", () => openLocalDiskStore(diskRoot), () => readdirSync(diskRoot, { recursive: true, encoding: "utf8" }).filter((path) => !path.endsWith(".incoming"))],
  ["S3", async () => openS3Store({ bucket: s3.bucket, endpoint: s3.endpoint, forcePathStyle: true, serverSideEncryption: undefined, sseKmsKeyId: undefined }, REGION), () => s3.objectKeys()],
];

const readAll = async (store: BlobStore, key: string) => Buffer.concat(await store.read(key).toArray());

for (const [name, open, storedNames] of stores) {
  describe(`${name} blob store`, () => {
    test("a committed blob reads back byte for byte, with its size", async () => {
      const store = await open();
      const bytes = randomBytes(3 * 1024 * 1024 + 5);
      const writer = await store.createWriter();
      writer.stream.end(bytes);
      const key = await writer.commit();
      assert.match(key, /^[0-9a-f]{40}$/);
      assert.equal(sha256(await readAll(store, key)), sha256(bytes));
      assert.equal(await store.size(key), bytes.length);
      await store.delete(key);
      await assert.rejects(readAll(store, key));
    });

    test("an aborted write leaves nothing behind", async () => {
      const store = await open();
      const before = storedNames().length;
      const writer = await store.createWriter();
      // Larger than one S3 part, so a multipart upload has begun when the abort comes.
      writer.stream.write(randomBytes(10 * 1024 * 1024));
      await new Promise((resolve) => setTimeout(resolve, 200));
      await writer.abort();
      await writer.abort();
      assert.equal(storedNames().length, before);
    });

    test("a 64 MiB blob streams in and out", async () => {
      const store = await open();
      const size = 64 * 1024 * 1024;
      const { stream, digest } = generatedStream(size);
      const writer = await store.createWriter();
      await pipeline(Readable.fromWeb(stream as import("node:stream/web").ReadableStream), writer.stream);
      const key = await writer.commit();
      const hash = createHash("sha256");
      let bytes = 0;
      for await (const chunk of store.read(key)) {
        hash.update(chunk as Buffer);
        bytes += (chunk as Buffer).length;
      }
      assert.deepEqual({ bytes, sha256: hash.digest("hex") }, { bytes: size, sha256: await digest });
      await store.delete(key);
    });
  });
}
