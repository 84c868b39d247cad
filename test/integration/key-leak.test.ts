// Data keys never escape the server's memory. local-aws writes every plaintext data key it hands out to a canary
// file (a test-only flag); after full upload, link and download flows with debug logging on, and after failures
// thrown by the SDKs mid-transfer, no canary key appears (raw, hex or base64) in the server's output, any HTTP
// response, the database or anything else under the data directory, temp files, or the browser bundle.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { startStack, type Stack } from "../support/stack";
import { WebClient } from "../support/web-client";

const ROOT = resolve(__dirname, "../..");
const DATA_KEY_BYTES = 32;
const canaryDir = mkdtempSync(join(tmpdir(), "keybridge-canary-"));
const canaryFile = join(canaryDir, "data-keys.hex");
const startedAt = Date.now();
const responses: Buffer[] = [];

let stack: Stack;

before(async () => {
  stack = await startStack({
    localAwsArgs: ["--data-key-canary", canaryFile, "--test-controls"],
    env: { KEYBRIDGE_LOG_LEVEL: "debug" },
  });
});

after(async () => {
  await stack?.stop();
  rmSync(canaryDir, { recursive: true, force: true });
});

/** Fetches and keeps the whole response, headers and body, for the search at the end. */
async function kept(client: WebClient, path: string, init?: RequestInit): Promise<{ status: number; body: Buffer }> {
  const response = await client.fetch(path, init);
  const body = Buffer.from(await response.arrayBuffer());
  responses.push(Buffer.from(JSON.stringify([...response.headers])), body);
  return { status: response.status, body };
}

async function keptUpload(client: WebClient, fileName: string, content: Buffer, size = content.length) {
  const uploaded = await client.upload({ recipientOrg: "globex", fileName, content, size, message: `message for ${fileName}` });
  responses.push(Buffer.from(JSON.stringify(uploaded.body)));
  return uploaded;
}

async function setFaults(rules: unknown[]): Promise<void> {
  const response = await fetch(`${stack.localAwsUrl}/__local-aws/faults`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(rules) });
  assert.equal(response.status, 204);
}

function filesUnder(dir: string, modifiedSince = 0): string[] {
  const found: string[] = [];
  const walk = (current: string) => {
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        try {
          const stat = statSync(path);
          if (stat.mtimeMs >= modifiedSince && stat.size < 256 * 1024 * 1024) found.push(path);
        } catch {
          // A temp file that went away while we looked.
        }
      }
    }
  };
  walk(dir);
  return found;
}

function encodingsOf(key: Buffer): Buffer[] {
  return [key, key.toString("hex"), key.toString("hex").toUpperCase(), key.toString("base64"), key.toString("base64url")].map((form) => (typeof form === "string" ? Buffer.from(form) : form));
}

test("full flows and SDK failures leave no data key in logs, responses, the database, data, temp files or the bundle", async () => {
  const alice = await WebClient.signedIn(stack.appUrl, "alice@acme.example");
  const bob = await WebClient.signedIn(stack.appUrl, "bob@globex.example");
  const aria = await WebClient.signedIn(stack.appUrl, "aria@acme.example");

  const exchangeIds: string[] = [];
  for (const size of [0, 1, 70_000, 1024 * 1024 + 3]) {
    const uploaded = await keptUpload(alice, `leak-check-${size}.bin`, randomBytes(size));
    assert.equal(uploaded.status, 200, JSON.stringify(uploaded.body));
    exchangeIds.push(uploaded.body.exchangeId as string);
  }
  for (const id of exchangeIds) {
    assert.equal((await kept(bob, `/api/exchanges/${id}/content`)).status, 200);
    const link = await kept(alice, `/api/exchanges/${id}/links`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ note: "leak check" }) });
    assert.equal(link.status, 201);
    const { token } = JSON.parse(link.body.toString()) as { token: string };
    assert.equal((await kept(bob, `/l/${token}`)).status, 200);
    assert.equal((await kept(bob, `/api/links/${token}/content`)).status, 200);
    await kept(alice, `/exchanges/${id}`);
    await kept(aria, `/audit/exchanges/${id}`);
  }
  for (const path of ["/inbox", "/upload", "/settings/security"]) await kept(bob, path);
  for (const path of ["/sent", "/audit", "/api/audit/export?format=jsonl", "/api/audit/export?format=csv"]) await kept(path.startsWith("/sent") ? alice : aria, path);

  // Failures thrown by the SDKs while a data key is in memory, or while KMS refuses.
  const short = await keptUpload(alice, "declared-longer.bin", randomBytes(100_000), 200_000);
  assert.notEqual(short.status, 200);
  await setFaults([{ service: "kms", operation: "Decrypt", errorCode: "KMSInternalException" }]);
  assert.equal((await kept(bob, `/api/exchanges/${exchangeIds[2]}/content`)).status, 503);
  await setFaults([{ service: "kms", operation: "GenerateDataKey", drop: true }]);
  assert.equal((await keptUpload(alice, "kms-dropped.bin", randomBytes(10_000))).status, 503);
  await setFaults([]);

  const keys = readFileSync(canaryFile, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((hex) => Buffer.from(hex, "hex"))
    .filter((plaintext) => plaintext.length === DATA_KEY_BYTES);
  // One data key made per upload that reached encryption, and decrypted again per download.
  assert.ok(keys.length >= exchangeIds.length * 3, `only ${keys.length} data keys in the canary`);

  await stack.killApp();
  const distDir = join(ROOT, process.env.KEYBRIDGE_DIST_DIR ?? ".next", "static");
  const places: Array<[string, Buffer]> = [
    ["server output", Buffer.from(stack.appOutput())],
    ...responses.map((body, index) => [`HTTP response #${index}`, body] as [string, Buffer]),
    ...filesUnder(stack.dataDir).map((path) => [path, readFileSync(path)] as [string, Buffer]),
    ...filesUnder(tmpdir(), startedAt)
      .filter((path) => !path.startsWith(canaryDir) && !path.startsWith(stack.dataDir))
      .map((path) => [path, readFileSync(path)] as [string, Buffer]),
    ...filesUnder(distDir).map((path) => [path, readFileSync(path)] as [string, Buffer]),
  ];
  assert.match(stack.appOutput(), /GenerateDataKeyCommand/, "debug logging was on: the SDK's request log is in the output");
  // The embedded database's files, WAL included: every committed row is on disk even after SIGKILL.
  assert.ok(places.some(([name]) => name.startsWith(join(stack.dataDir, "db"))), "the database files were searched");

  const hits: string[] = [];
  for (const key of keys) {
    const needles = encodingsOf(key);
    for (const [name, haystack] of places) if (needles.some((needle) => haystack.includes(needle))) hits.push(`${key.toString("hex").slice(0, 8)}… in ${name}`);
  }
  assert.deepEqual(hits, []);
  await stack.restartApp();
});
