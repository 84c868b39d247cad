import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";

const STATIC = resolve(__dirname, "../..", process.env.KEYBRIDGE_DIST_DIR || ".next", "static");

// Strings that only server code contains: package names, KMS's wire target, our server-only domain modules.
const SERVER_ONLY_MARKERS = ["@aws-sdk/", "@aws-crypto/", "TrentService", "GenerateDataKey", "encryptStream", "@electric-sql/pglite", "pg-protocol", "audit_chain_head", "kms-session", "role-sessions"];

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((path) => join(dir, path))
    .filter((path) => /\.(js|mjs|css|map)$/.test(path));
}

test("no AWS SDK, Encryption SDK, database driver or server module reaches the browser bundle", () => {
  assert.ok(existsSync(STATIC), "run next build first");
  const bundle = files(STATIC);
  assert.ok(bundle.length > 0, "the browser bundle has files");
  const hits = bundle.flatMap((path) => {
    const text = readFileSync(path, "utf8");
    return SERVER_ONLY_MARKERS.filter((marker) => text.includes(marker)).map((marker) => `${marker} in ${path}`);
  });
  assert.deepEqual(hits, []);
});
