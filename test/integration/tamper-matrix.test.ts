// Stored part blobs tampered with at rest. First line of defence: each part's ciphertext size and SHA-256, sealed in
// the exchange's encrypted manifest, are compared before the part is decrypted, so no byte goes out. An attacker who
// can also rewrite the database (simulated here on PostgreSQL) cannot rewrite the manifest without the sender's KMS
// role: the stored part rows then disagree with it and the download is refused before the first byte too. Behind
// both, the Encryption SDK releases only frames that verified (parted-upload.test.ts shows a part altered mid-file).
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { appendFileSync, readFileSync, renameSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { psqlOutput, startPostgres, type PostgresServer } from "../support/postgres";
import { startStack, type Stack } from "../support/stack";
import { WebClient } from "../support/web-client";

const MIB = 1024 * 1024;
// One part (the default part is 16 MiB): three full 1 MiB frames and a final frame of half a MiB.
const content = randomBytes(3.5 * MIB);
/** Sequence number, IV, body, tag. */
const REGULAR_FRAME = 4 + 12 + MIB + 16;
/** End marker, sequence number, IV, content length, body, tag. */
const FINAL_FRAME = 4 + 4 + 12 + 4 + 0.5 * MIB + 16;

let postgres: PostgresServer;
let stack: Stack;
let databaseUrl: string;
let alice: WebClient;
let bob: WebClient;

const psql = (sql: string) => psqlOutput(databaseUrl, sql);

before(async () => {
  postgres = await startPostgres();
  databaseUrl = postgres.createDatabase("tamper");
  stack = await startStack({ databaseUrl });
  [alice, bob] = await Promise.all([WebClient.signedIn(stack.appUrl, "alice@acme.example"), WebClient.signedIn(stack.appUrl, "bob@globex.example")]);
});

after(async () => {
  await stack?.stop();
  await postgres?.stop();
});

async function storedExchange(): Promise<{ id: string; blobPath: string; headerBytes: number }> {
  const uploaded = await alice.upload({ recipientOrg: "globex", fileName: "tamper.bin", content, size: content.length });
  assert.equal(uploaded.status, 200, JSON.stringify(uploaded.body));
  const id = uploaded.body.exchangeId as string;
  assert.equal(psql(`SELECT count(*) FROM upload_parts WHERE exchange_id = '${id}'`), "1");
  const blobPath = join(stack.dataDir, "blobs", psql(`SELECT blob_key FROM upload_parts WHERE exchange_id = '${id}' AND part_number = 1`));
  const headerBytes = readFileSync(blobPath).length - 3 * REGULAR_FRAME - FINAL_FRAME;
  assert.ok(headerBytes > 100 && headerBytes < 1000, `the message header is ${headerBytes} bytes: the frame arithmetic holds`);
  return { id, blobPath, headerBytes };
}

function flipByte(path: string, offset: number): void {
  const bytes = readFileSync(path);
  bytes[offset] = (bytes[offset] as number) ^ 0x01;
  writeFileSync(path, bytes);
}

/** A download manager's patience: a transfer silent this long is given up as failed. */
const IDLE_MS = 10_000;

/** Reads what the server sends, however the transfer ends. */
async function download(id: string): Promise<{ status: number; received: Buffer; complete: boolean; error?: string }> {
  const idle = new AbortController();
  let timer = setTimeout(() => idle.abort(), IDLE_MS);
  const response = await bob.fetch(`/api/exchanges/${id}/content`, { signal: idle.signal });
  if (response.status !== 200) {
    clearTimeout(timer);
    return { status: response.status, received: Buffer.alloc(0), complete: false, error: ((await response.json()) as { error: { code: string } }).error.code };
  }
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      chunks.push(Buffer.from(chunk));
      clearTimeout(timer);
      timer = setTimeout(() => idle.abort(), IDLE_MS);
    }
  } catch {
    return { status: 200, received: Buffer.concat(chunks), complete: false };
  } finally {
    clearTimeout(timer);
  }
  const received = Buffer.concat(chunks);
  return { status: 200, received, complete: received.length === Number(response.headers.get("content-length")) };
}

const tamperings: Array<[string, (blob: { id: string; blobPath: string; headerBytes: number }) => void]> = [
  ["a byte flipped in the header", ({ blobPath }) => flipByte(blobPath, 5)],
  ["a byte flipped in a middle frame", ({ blobPath, headerBytes }) => flipByte(blobPath, headerBytes + REGULAR_FRAME + 100)],
  ["a byte flipped in the last frame's body", ({ blobPath }) => flipByte(blobPath, readFileSync(blobPath).length - 16 - 1000)],
  ["a byte flipped in the final frame's tag", ({ blobPath }) => flipByte(blobPath, readFileSync(blobPath).length - 1)],
  ["truncated in the middle of a frame", ({ blobPath, headerBytes }) => truncateSync(blobPath, headerBytes + REGULAR_FRAME + MIB / 2)],
  ["truncated on a frame boundary", ({ blobPath, headerBytes }) => truncateSync(blobPath, headerBytes + 3 * REGULAR_FRAME)],
  ["bytes appended", ({ blobPath }) => appendFileSync(blobPath, randomBytes(100))],
];

/** The reason recorded with the exchange's download failures, oldest first. */
const failureReasons = (id: string) =>
  psql(`SELECT outcome || ' ' || reason || ' ' || (details->>'reason') FROM audit_events WHERE action = 'download.failed' AND target_id = '${id}' ORDER BY seq`).split("\n");

/** What a database writer would do to make the stored part row match the tampered blob. */
function rewritePartRow(id: string, blobPath: string): void {
  const tampered = readFileSync(blobPath);
  psql(`UPDATE upload_parts SET ciphertext_sha256 = '${createHash("sha256").update(tampered).digest("hex")}', ciphertext_bytes = ${tampered.length} WHERE exchange_id = '${id}'`);
}

for (const [name, tamper] of tamperings) {
  test(`${name}: refused before the first byte, and again with the database rewritten to match`, async () => {
    const blob = await storedExchange();
    tamper(blob);

    const refused = await download(blob.id);
    assert.deepEqual([refused.status, refused.error, refused.received.length], [502, "integrity_failure", 0]);
    rewritePartRow(blob.id, blob.blobPath);
    const second = await download(blob.id);
    assert.deepEqual([second.status, second.error, second.received.length], [502, "integrity_failure", 0], "the manifest, sealed by KMS, still disagrees");
    assert.deepEqual(failureReasons(blob.id), ["failed integrity_failure ciphertext_digest_mismatch", "failed integrity_failure parts_do_not_match_manifest"]);
  });
}

test("two exchanges' part blobs swapped: refused before the first byte, with the rows swapped too, and with the manifests swapped as well", async () => {
  const [first, second] = [await storedExchange(), await storedExchange()];
  const swapFiles = (a: string, b: string) => {
    const aside = `${a}.aside`;
    renameSync(a, aside);
    renameSync(b, a);
    renameSync(aside, b);
  };
  swapFiles(first.blobPath, second.blobPath);
  for (const { id } of [first, second]) assert.deepEqual(await download(id).then((result) => [result.status, result.error]), [502, "integrity_failure"]);

  psql(`UPDATE upload_parts AS p SET ciphertext_sha256 = o.ciphertext_sha256, ciphertext_bytes = o.ciphertext_bytes FROM upload_parts AS o WHERE (p.exchange_id, o.exchange_id) IN (('${first.id}', '${second.id}'), ('${second.id}', '${first.id}'))`);
  for (const { id } of [first, second]) assert.deepEqual(await download(id).then((result) => [result.status, result.error, result.received.length]), [502, "integrity_failure", 0]);

  // Each manifest names its own exchange in its encryption context: the other exchange's is refused by KMS's binding.
  const manifestPath = (id: string) => join(stack.dataDir, "blobs", psql(`SELECT blob_key FROM exchanges WHERE id = '${id}'`));
  swapFiles(manifestPath(first.id), manifestPath(second.id));
  for (const { id } of [first, second]) {
    const result = await download(id);
    assert.notEqual(result.status, 200, "the other exchange's manifest is refused before any byte");
    assert.equal(result.received.length, 0);
  }
  assert.equal(psql(`SELECT count(*) FROM audit_events WHERE action = 'download.failed' AND target_id IN ('${first.id}', '${second.id}')`), "6");
});

test("an untouched part still downloads whole after the checks", async () => {
  const { id } = await storedExchange();
  const result = await download(id);
  assert.equal(result.complete, true);
  assert.ok(result.received.equals(content));
});
