import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { AppError } from "../../errors/app-error";
import { parseManifest, serializeManifest, type SealedPartManifest } from "./part-manifest";

const exchangeId = randomUUID();
const hex = (digit: string) => digit.repeat(64);
const parts = [
  { plaintextBytes: 16, plaintextSha256: hex("a"), ciphertextBytes: 200, ciphertextSha256: hex("b") },
  { plaintextBytes: 8, plaintextSha256: hex("c"), ciphertextBytes: 190, ciphertextSha256: hex("d") },
];
const expected = { exchangeId, size: 24, partBytes: 16, partCount: 2 };
const v2: SealedPartManifest = { version: 2, exchangeId, size: 24, partBytes: 16, parts, sha256: hex("e") };
const integrityFailure = (error: unknown) => error instanceof AppError && error.code === "integrity_failure";

test("a version 2 manifest seals the whole file's SHA-256 and reads back with it", () => {
  const manifest = parseManifest(serializeManifest(v2), expected);
  assert.equal(manifest.version, 2);
  assert.equal(manifest.sha256, hex("e"));
  assert.deepEqual(manifest.parts, parts);
});

test("a version 1 manifest stored before the digest was sealed still reads, with sha256 null", () => {
  const { sha256: _dropped, ...rest } = v2;
  const manifest = parseManifest(Buffer.from(JSON.stringify({ ...rest, version: 1 })), expected);
  assert.equal(manifest.version, 1);
  assert.equal(manifest.sha256, null);
});

test("version 2 without a digest, version 1 with one, a malformed digest and unknown versions are refused", () => {
  const { sha256: _dropped, ...withoutDigest } = v2;
  for (const bad of [withoutDigest, { ...v2, version: 1 }, { ...v2, sha256: "E".repeat(64) }, { ...v2, sha256: hex("e").slice(1) }, { ...v2, version: 3 }]) {
    assert.throws(() => parseManifest(Buffer.from(JSON.stringify(bad)), expected), integrityFailure, JSON.stringify(bad).slice(0, 80));
  }
  assert.throws(() => serializeManifest({ ...v2, sha256: "not a digest" }));
});
