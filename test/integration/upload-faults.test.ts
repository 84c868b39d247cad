import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { PART_SHA256_HEADER, partPath, uploadPath } from "../../lib/contract/transfer";
import { waitFor } from "../support/bytes";
import { createPartedUpload, putPart, storedParts } from "../support/parted-upload";
import { startStack, type Stack } from "../support/stack";
import { WebClient } from "../support/web-client";

let stack: Stack;
let alice: WebClient;

before(async () => {
  stack = await startStack();
  alice = await WebClient.signedIn(stack.appUrl, "alice@acme.example");
});

after(async () => {
  await stack?.stop();
});

/** A part's address in a new upload of `size` bytes (part 1 of it), and the upload's own address. */
async function createUpload(size: number): Promise<{ partUrl: string; uploadUrl: string; exchangeId: string }> {
  const { exchangeId } = await createPartedUpload(alice, { fileName: "aborted.bin", size });
  return { partUrl: partPath(exchangeId, 1), uploadUrl: uploadPath(exchangeId), exchangeId };
}

/** Sends `sendBytes` of a part, then drops the connection like a closed laptop. */
function abortedPut(partUrl: string, sendBytes: number): Promise<void> {
  return new Promise((resolve) => {
    const url = new URL(partUrl, stack.appUrl);
    const req = request(url, { method: "PUT", headers: { cookie: alice.cookieHeader(), "content-type": "application/octet-stream", "transfer-encoding": "chunked", [PART_SHA256_HEADER]: "0".repeat(64) } });
    req.on("error", () => resolve());
    req.on("response", () => resolve());
    req.on("close", () => resolve());
    let sent = 0;
    const sendMore = () => {
      while (sent < sendBytes) {
        const chunk = randomBytes(Math.min(256 * 1024, sendBytes - sent));
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once("drain", sendMore);
          return;
        }
      }
      setImmediate(() => req.destroy());
    };
    req.flushHeaders();
    sendMore();
  });
}

function blobFiles(): string[] {
  const root = join(stack.dataDir, "blobs");
  if (!existsSync(root)) return [];
  const committed = readdirSync(root).filter((name) => !name.startsWith("."));
  const incoming = readdirSync(join(root, ".incoming"));
  return [...committed, ...incoming.map((name) => `.incoming/${name}`)];
}

for (const sendBytes of [0, 1, 1024 * 1024, 5 * 1024 * 1024 + 17]) {
  test(`a part dropped after ${sendBytes} bytes leaves no blob and no stored part, the upload stays resumable, and the server lives`, async () => {
    const before = blobFiles();
    const upload = await createUpload(12 * 1024 * 1024);
    await abortedPut(upload.partUrl, sendBytes);
    // The temporary file of this part goes (and one an earlier test left behind may go meanwhile): nothing new stays.
    const added = () => blobFiles().filter((name) => !before.includes(name));
    await waitFor(() => (added().length === 0 ? true : undefined), "temporary blob files to be removed");
    assert.deepEqual(added(), []);
    assert.deepEqual(await storedParts(alice, upload.exchangeId), []);
    assert.equal((await alice.fetch(upload.uploadUrl, { method: "DELETE" })).status, 204);
    const alive = await alice.fetch("/api/auth/csrf");
    assert.equal(alive.status, 200);
    assert.doesNotMatch(stack.appOutput(), /ERR_STREAM_PREMATURE_CLOSE|uncaught/i);
  });
}

test("an upload cancelled before any byte is sent is discarded", async () => {
  const upload = await createUpload(10);
  const cancelled = await alice.fetch(upload.uploadUrl, { method: "DELETE" });
  assert.equal(cancelled.status, 204);
  const put = await putPart(alice, upload.exchangeId, 1, randomBytes(10));
  assert.equal(put.status, 404);
});

test("a part larger than its place in the layout is refused while streaming", async () => {
  const upload = await createUpload(1000);
  const put = await putPart(alice, upload.exchangeId, 1, randomBytes(5000));
  assert.equal(put.status, 413);
  assert.equal(((await put.json()) as { error: { code: string } }).error.code, "too_large");
});
