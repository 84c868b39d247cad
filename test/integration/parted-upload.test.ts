// Parted uploads (issue 7) through the real HTTP API, KMS in local-aws and PostgreSQL: parts arrive in any order and
// may be sent again, the upload resumes from what the server holds, one data key serves all parts, Range downloads
// give exact bytes, and parts dropped, duplicated, reordered or swapped between exchanges are refused.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { copyFileSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { waitFor } from "../support/bytes";
import { completeUpload, createPartedUpload, partSlice, putPart, sendParts, storedParts } from "../support/parted-upload";
import { psqlOutput, startPostgres, type PostgresServer } from "../support/postgres";
import { startStack, type Stack } from "../support/stack";
import { WebClient } from "../support/web-client";

const PART_BYTES = 256 * 1024;

let postgres: PostgresServer;
let stack: Stack;
let databaseUrl: string;
let alice: WebClient;
let bob: WebClient;

const psql = (sql: string) => psqlOutput(databaseUrl, sql);
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

before(async () => {
  postgres = await startPostgres();
  databaseUrl = postgres.createDatabase("parted");
  stack = await startStack({
    databaseUrl,
    configure: (config) => {
      config.uploads = { partBytes: PART_BYTES };
    },
  });
  [alice, bob] = await Promise.all([WebClient.signedIn(stack.appUrl, "alice@acme.example"), WebClient.signedIn(stack.appUrl, "bob@globex.example")]);
});

after(async () => {
  await stack?.stop();
  await postgres?.stop();
});

/** Uploads `content` in parts sent in `order` (default: last first, then the rest in parallel) and completes it. */
async function uploadedInParts(content: Buffer, fileName = "parted.bin"): Promise<string> {
  const upload = await createPartedUpload(alice, { recipientOrg: "globex", fileName, size: content.length });
  const order = Array.from({ length: upload.partCount }, (_, index) => upload.partCount - index);
  await sendParts(alice, upload.exchangeId, order, (n) => partSlice(upload, content, n));
  const completed = await completeUpload(alice, upload.exchangeId, sha256(content));
  assert.equal(completed.status, 200, await completed.clone().text());
  return upload.exchangeId;
}

/** Downloads as far as the server sends; a transfer cut off keeps what arrived and says it failed. */
async function download(exchangeId: string, headers: Record<string, string> = {}) {
  const response = await bob.fetch(`/api/exchanges/${exchangeId}/content`, { headers });
  const chunks: Uint8Array[] = [];
  let failed = false;
  try {
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) chunks.push(read.value);
  } catch {
    failed = true;
  }
  return { response, body: Buffer.concat(chunks), failed };
}

const dataKeyCalls = (exchangeId: string, operation: string) =>
  stack.awsEvents().filter((event) => event.eventName === operation && !event.errorCode && event.requestParameters?.encryptionContext?.["exchange-id"] === exchangeId && event.requestParameters?.encryptionContext?.purpose === "file-content");

/** local-aws appends to its event log as it answers; the last call's line can land just after the response. */
async function settledCount(exchangeId: string, operation: string, expected: number): Promise<void> {
  await waitFor(() => (dataKeyCalls(exchangeId, operation).length >= expected ? true : undefined), `${expected} ${operation} calls logged`);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(dataKeyCalls(exchangeId, operation).length, expected, operation);
}

for (const size of [0, 1, PART_BYTES, PART_BYTES + 1, Math.floor(5.5 * PART_BYTES)]) {
  test(`a ${size}-byte file sent in parts out of order downloads byte for byte`, async () => {
    const content = randomBytes(size);
    const exchangeId = await uploadedInParts(content);
    const { response, body } = await download(exchangeId);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("accept-ranges"), "bytes");
    assert.equal(response.headers.get("content-length"), String(size));
    assert.equal(sha256(body), sha256(content));
  });
}

test("all parts of an upload share one GenerateDataKey (plus one for the manifest); a download decrypts it once", async () => {
  const content = randomBytes(8 * PART_BYTES);
  const exchangeId = await uploadedInParts(content);
  await settledCount(exchangeId, "GenerateDataKey", 2);
  const { body } = await download(exchangeId);
  assert.equal(sha256(body), sha256(content));
  await settledCount(exchangeId, "Decrypt", 2);
});

test("an upload resumes from the parts the server holds; a part sent again replaces itself; finishing early names what is missing", async () => {
  const content = randomBytes(6 * PART_BYTES - 10);
  const upload = await createPartedUpload(alice, { recipientOrg: "globex", fileName: "resumed.bin", size: content.length });
  const bytesOf = (n: number) => partSlice(upload, content, n);
  await sendParts(alice, upload.exchangeId, [1, 2, 3], bytesOf);
  assert.deepEqual(await storedParts(alice, upload.exchangeId), [1, 2, 3]);
  assert.equal((await putPart(alice, upload.exchangeId, 2, bytesOf(2))).status, 200);
  const early = await completeUpload(alice, upload.exchangeId, sha256(content));
  assert.equal(early.status, 409);
  assert.match(((await early.json()) as { error: { message: string } }).error.message, /3 of 6 parts have not arrived yet \(first missing: part 4\)/);
  assert.equal((await putPart(alice, upload.exchangeId, 7, Buffer.alloc(1))).status, 400);
  assert.equal((await putPart(alice, upload.exchangeId, 4, bytesOf(4).subarray(1))).status, 400);
  assert.equal((await bob.fetch(`/api/uploads/${upload.exchangeId}/parts`)).status, 404);
  assert.equal((await putPart(bob, upload.exchangeId, 4, bytesOf(4))).status, 404);

  const remaining = [1, 2, 3, 4, 5, 6].filter((n) => !new Set([1, 2, 3]).has(n));
  await sendParts(alice, upload.exchangeId, remaining, bytesOf);
  assert.equal((await completeUpload(alice, upload.exchangeId, sha256(content))).status, 200);
  assert.equal((await putPart(alice, upload.exchangeId, 1, bytesOf(1))).status, 409);
  const { body } = await download(upload.exchangeId);
  assert.equal(sha256(body), sha256(content));
  assert.equal(psql(`SELECT count(*) FROM upload_parts WHERE exchange_id = '${upload.exchangeId}'`), "6");
});

test("a discarded parted upload leaves no part blob and no exchange", async () => {
  const content = randomBytes(3 * PART_BYTES);
  const upload = await createPartedUpload(alice, { recipientOrg: "globex", fileName: "discarded.bin", size: content.length });
  await sendParts(alice, upload.exchangeId, [1, 2], (n) => content.subarray((n - 1) * PART_BYTES, n * PART_BYTES));
  const keys = psql(`SELECT blob_key FROM upload_parts WHERE exchange_id = '${upload.exchangeId}'`).split("\n");
  assert.equal(keys.length, 2);
  assert.equal((await alice.fetch(`/api/uploads/${upload.exchangeId}`, { method: "DELETE" })).status, 204);
  assert.equal(psql(`SELECT count(*) FROM exchanges WHERE id = '${upload.exchangeId}'`), "0");
  for (const key of keys) assert.throws(() => readFileSync(join(stack.dataDir, "blobs", key)));
});

test("Range requests give the exact bytes from any offset, across part boundaries, and resume a broken download", async () => {
  const content = randomBytes(4 * PART_BYTES + 123);
  const exchangeId = await uploadedInParts(content, "ranged.bin");
  const full = await download(exchangeId);
  const etag = full.response.headers.get("etag") as string;
  assert.match(etag, /^"[0-9a-f]{64}"$/);
  const cases: Array<[string, number, number]> = [
    ["bytes=0-0", 0, 0],
    [`bytes=${PART_BYTES - 5}-${PART_BYTES + 5}`, PART_BYTES - 5, PART_BYTES + 5],
    [`bytes=${Math.floor(content.length / 2)}-`, Math.floor(content.length / 2), content.length - 1],
    ["bytes=-100", content.length - 100, content.length - 1],
    [`bytes=${3 * PART_BYTES}-${10 * PART_BYTES}`, 3 * PART_BYTES, content.length - 1],
  ];
  for (const [range, start, end] of cases) {
    const { response, body } = await download(exchangeId, { range, "if-range": etag });
    assert.equal(response.status, 206, range);
    assert.equal(response.headers.get("content-range"), `bytes ${start}-${end}/${content.length}`);
    assert.equal(response.headers.get("content-length"), String(end - start + 1));
    assert.ok(body.equals(content.subarray(start, end + 1)), range);
  }
  assert.equal((await download(exchangeId, { range: `bytes=${content.length}-` })).response.status, 416);
  const stale = await download(exchangeId, { range: "bytes=10-", "if-range": '"0000"' });
  assert.equal(stale.response.status, 200, "a changed entity tag gets the whole file");
  assert.ok(stale.body.equals(content));
});

/** Reads one column of one part row. */
const partColumn = (exchangeId: string, partNumber: number, column: string) => psql(`SELECT ${column} FROM upload_parts WHERE exchange_id = '${exchangeId}' AND part_number = ${partNumber}`);

test("parts dropped, duplicated, reordered or swapped in from another exchange are refused before the first byte", async () => {
  const tamperings: Array<[string, (id: string, other: string) => void]> = [
    ["a part dropped", (id) => psql(`DELETE FROM upload_parts WHERE exchange_id = '${id}' AND part_number = 2`)],
    [
      "a part duplicated in place of another",
      (id) => psql(`UPDATE upload_parts SET (blob_key, ciphertext_sha256, ciphertext_bytes) = ('${partColumn(id, 1, "blob_key")}-dup', '${partColumn(id, 1, "ciphertext_sha256")}', ${partColumn(id, 1, "ciphertext_bytes")}) WHERE exchange_id = '${id}' AND part_number = 2`),
    ],
    [
      "two parts reordered",
      (id) => {
        const renumber = (from: number, to: number) => psql(`UPDATE upload_parts SET part_number = ${to} WHERE exchange_id = '${id}' AND part_number = ${from}`);
        renumber(1, 1000);
        renumber(2, 1);
        renumber(1000, 2);
      },
    ],
    [
      "a part swapped in from another exchange",
      (id, other) => {
        const copy = `${partColumn(other, 2, "blob_key")}-copy`;
        copyFileSync(join(stack.dataDir, "blobs", partColumn(other, 2, "blob_key")), join(stack.dataDir, "blobs", copy));
        psql(`UPDATE upload_parts SET (blob_key, ciphertext_sha256, ciphertext_bytes) = ('${copy}', '${partColumn(other, 2, "ciphertext_sha256")}', ${partColumn(other, 2, "ciphertext_bytes")}) WHERE exchange_id = '${id}' AND part_number = 2`);
      },
    ],
  ];
  const other = await uploadedInParts(randomBytes(3 * PART_BYTES), "other.bin");
  for (const [name, tamper] of tamperings) {
    const exchangeId = await uploadedInParts(randomBytes(3 * PART_BYTES), `${name}.bin`);
    tamper(exchangeId, other);
    const { response, body } = await download(exchangeId);
    assert.equal(response.status, 502, name);
    assert.equal(((JSON.parse(body.toString()) as { error: { code: string } }).error.code), "integrity_failure", name);
    assert.equal(psql(`SELECT count(*) FROM audit_events WHERE action = 'download.failed' AND target_id = '${exchangeId}' AND reason = 'integrity_failure'`), "1", name);
  }
});

test("part blobs reordered or altered on disk release only authenticated bytes and never a complete file", async () => {
  const content = randomBytes(4 * PART_BYTES);
  const reordered = await uploadedInParts(content, "reordered-on-disk.bin");
  const [first, second] = [1, 2].map((n) => join(stack.dataDir, "blobs", partColumn(reordered, n, "blob_key")));
  renameSync(first as string, `${first}.tmp`);
  renameSync(second as string, first as string);
  renameSync(`${first}.tmp`, second as string);
  const refused = await download(reordered);
  assert.equal(refused.response.status, 502, "the first part is checked before the response starts");

  const altered = await uploadedInParts(content, "altered-on-disk.bin");
  const third = join(stack.dataDir, "blobs", partColumn(altered, 3, "blob_key"));
  const bytes = readFileSync(third);
  bytes[bytes.length - 20] = (bytes[bytes.length - 20] as number) ^ 1;
  writeFileSync(third, bytes);
  const cut = await download(altered);
  assert.equal(cut.response.status, 200);
  assert.ok(cut.failed || cut.body.length < content.length, "a damaged third part never arrives as a whole file");
  assert.ok(content.subarray(0, cut.body.length).equals(cut.body), "whatever arrived is the authentic prefix");
  assert.ok(cut.body.length <= 2 * PART_BYTES, "nothing of the damaged part was released");
});

test("parts still upload after pages were rendered (Next bundles the Encryption SDK once for pages, once for routes)", async () => {
  for (const path of ["/inbox", "/sent", "/upload"]) assert.equal((await alice.fetch(path)).status, 200, path);
  const content = randomBytes(3 * PART_BYTES);
  const exchangeId = await uploadedInParts(content, "after-pages.bin");
  assert.equal(sha256((await download(exchangeId)).body), sha256(content));
});

test("a share link to a parted exchange opens and downloads the same bytes", async () => {
  const content = randomBytes(2 * PART_BYTES + 7);
  const exchangeId = await uploadedInParts(content, "linked-parted.bin");
  const created = await alice.fetch(`/api/exchanges/${exchangeId}/links`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  assert.equal(created.status, 201);
  const { token } = (await created.json()) as { token: string };
  const page = await bob.fetch(`/l/${token}`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /linked-parted\.bin/);
  const response = await bob.fetch(`/api/links/${token}/content`);
  assert.equal(response.status, 200);
  assert.equal(sha256(Buffer.from(await response.arrayBuffer())), sha256(content));
});
