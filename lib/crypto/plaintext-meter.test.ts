import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { test } from "node:test";
import { AppError } from "../errors/app-error";
import { PlaintextMeter } from "./plaintext-meter";

async function run(pieces: Buffer[], expected: number, chunkBytes: number) {
  const meter = new PlaintextMeter(expected, chunkBytes);
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(pieces),
    meter,
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        out.push(chunk);
        done();
      },
    }),
  );
  return { meter, out };
}

test("regroups into whole chunks and hashes the plaintext", async () => {
  const data = Buffer.alloc(10_000, 7);
  const { meter, out } = await run([data.subarray(0, 3000), data.subarray(3000, 7001), data.subarray(7001)], data.length, 4096);
  assert.deepEqual(out.map((chunk) => chunk.length), [4096, 4096, 1808]);
  assert.equal(Buffer.concat(out).equals(data), true);
  assert.equal(meter.digestHex(), createHash("sha256").update(data).digest("hex"));
});

test("an empty body is a valid empty file", async () => {
  const { meter, out } = await run([], 0, 4096);
  assert.equal(out.length, 0);
  assert.equal(meter.digestHex(), createHash("sha256").digest("hex"));
});

test("more bytes than declared are refused while streaming", async () => {
  await assert.rejects(run([Buffer.alloc(10), Buffer.alloc(10)], 15, 4096), (error: unknown) => error instanceof AppError && error.code === "too_large");
});

test("fewer bytes than declared fail the upload", async () => {
  await assert.rejects(run([Buffer.alloc(10)], 15, 4096), (error: unknown) => error instanceof AppError && error.code === "upload_incomplete");
});
