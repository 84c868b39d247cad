// Stored blobs tampered with at rest. First line of defence: the ciphertext's size and SHA-256, recorded at upload,
// are compared before anything is decrypted, so no byte goes out. Second line, for an attacker who can also rewrite
// the database (simulated here on PostgreSQL): the Encryption SDK releases only frames that verified, and the
// client sees a failed transfer, never a complete-looking file.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { appendFileSync, readFileSync, renameSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startPostgres, type PostgresServer } from "../support/postgres";
import { startStack, type Stack } from "../support/stack";
import { WebClient } from "../support/web-client";

const MIB = 1024 * 1024;
// Three full 1 MiB frames and a final frame of half a MiB.
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

const psql = (sql: string) => execFileSync("psql", [databaseUrl, "-At", "-c", sql], { encoding: "utf8" }).trim();

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
  const blobPath = join(stack.dataDir, "blobs", psql(`SELECT blob_key FROM exchanges WHERE id = '${id}'`));
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

for (const [name, tamper] of tamperings) {
  test(`${name}: refused before the first byte, then, with the database rewritten too, never a whole file`, async () => {
    const blob = await storedExchange();
    tamper(blob);

    const refused = await download(blob.id);
    assert.deepEqual([refused.status, refused.error, refused.received.length], [502, "integrity_failure", 0]);
    assert.equal(psql(`SELECT outcome || ' ' || reason || ' ' || (details->>'reason') FROM audit_events WHERE action = 'download.failed' AND target_id = '${blob.id}'`), "failed integrity_failure ciphertext_" + (name === "bytes appended" || name.startsWith("truncated") ? "size_mismatch" : "digest_mismatch"));

    const tampered = readFileSync(blob.blobPath);
    psql(`UPDATE exchanges SET ciphertext_sha256 = '${createHash("sha256").update(tampered).digest("hex")}', ciphertext_size = ${tampered.length} WHERE id = '${blob.id}'`);
    const second = await download(blob.id);
    assert.ok(content.subarray(0, second.received.length).equals(second.received), "only authenticated bytes were released");
    if (name === "bytes appended") {
      // The SDK stops at the final frame: the appended bytes are never read, and what goes out is the authentic file.
      assert.equal(second.complete, true);
      assert.ok(second.received.equals(content));
      return;
    }
    assert.equal(second.complete, false, "the client sees a failed transfer");
    assert.ok(second.received.length < content.length);
  });
}

test("two exchanges' blobs swapped: each refused before the first byte, and by the encryption context if the digests are swapped too", async () => {
  const [first, second] = [await storedExchange(), await storedExchange()];
  const aside = `${first.blobPath}.aside`;
  renameSync(first.blobPath, aside);
  renameSync(second.blobPath, first.blobPath);
  renameSync(aside, second.blobPath);
  for (const { id } of [first, second]) assert.deepEqual(await download(id).then((result) => [result.status, result.error]), [502, "integrity_failure"]);

  psql(`UPDATE exchanges AS e SET ciphertext_sha256 = o.ciphertext_sha256 FROM exchanges AS o WHERE (e.id, o.id) IN (('${first.id}', '${second.id}'), ('${second.id}', '${first.id}'))`);
  for (const { id } of [first, second]) {
    const result = await download(id);
    assert.notEqual(result.status, 200, "the other exchange's message is refused by its encryption context before any byte");
    assert.equal(result.received.length, 0);
  }
  assert.equal(psql(`SELECT count(*) FROM audit_events WHERE action = 'download.failed' AND target_id IN ('${first.id}', '${second.id}')`), "4");
});

test("an untouched blob still downloads whole after the check", async () => {
  const { id } = await storedExchange();
  const result = await download(id);
  assert.equal(result.complete, true);
  assert.ok(result.received.equals(content));
});
