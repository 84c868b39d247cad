import assert from "node:assert/strict";
import { test } from "node:test";
import { APP_ERRORS } from "../errors/app-error";
import { CompleteUploadRequestSchema, ErrorBodySchema, UploadStatusSchema, isConsistentLayout, partCountFor, partRange } from "./transfer";

test("the layout arithmetic: parts tile the file, the last one short, an empty file one empty part", () => {
  const layout = { size: 40, partBytes: 16, partCount: partCountFor(40, 16) };
  assert.ok(isConsistentLayout(layout));
  assert.deepEqual([1, 2, 3].map((n) => partRange(layout, n)), [{ start: 0, end: 16 }, { start: 16, end: 32 }, { start: 32, end: 40 }]);
  assert.deepEqual(partRange({ size: 0, partBytes: 16, partCount: 1 }, 1), { start: 0, end: 0 });
  assert.equal(isConsistentLayout({ ...layout, partCount: 4 }), false);
  assert.throws(() => partRange(layout, 4), RangeError);
});

test("an error body must say whether a retry can help, and every AppError code does", () => {
  assert.equal(ErrorBodySchema.safeParse({ error: { code: "internal", message: "x" } }).success, false);
  for (const [code, entry] of Object.entries(APP_ERRORS)) {
    assert.ok(ErrorBodySchema.safeParse({ error: { code, message: entry.message, retryable: entry.retryable } }).success, code);
  }
});

test("completing requires the whole file's SHA-256 in lowercase hex, and nothing else", () => {
  assert.ok(CompleteUploadRequestSchema.safeParse({ sha256: "a".repeat(64) }).success);
  for (const bad of [{}, { sha256: "A".repeat(64) }, { sha256: "a".repeat(63) }, { sha256: "a".repeat(64), size: 1 }]) assert.equal(CompleteUploadRequestSchema.safeParse(bad).success, false, JSON.stringify(bad));
});

test("upload status carries each stored part's size and digest", () => {
  const status = { exchangeId: "6f1c1c6e-8d0b-4a4e-9a5e-1f0c2b3d4e5f", size: 20, partBytes: 16, partCount: 2, storedParts: [1], storedBytes: 16, expiresAt: new Date().toISOString() };
  assert.equal(UploadStatusSchema.safeParse(status).success, false);
  assert.ok(UploadStatusSchema.safeParse({ ...status, parts: [{ partNumber: 1, bytes: 16, sha256: "0".repeat(64) }] }).success);
});
