import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { waitFor } from "../support/bytes";
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

async function createUpload(size: number): Promise<string> {
  const created = await alice.fetch("/api/uploads", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ recipientOrg: "globex", fileName: "aborted.bin", size }),
  });
  assert.equal(created.status, 201);
  return ((await created.json()) as { contentUrl: string }).contentUrl;
}

/** Sends `sendBytes` of a `size`-byte upload, then drops the connection like a closed laptop. */
function abortedPut(contentUrl: string, sendBytes: number): Promise<void> {
  return new Promise((resolve) => {
    const url = new URL(contentUrl, stack.appUrl);
    const req = request(url, { method: "PUT", headers: { cookie: alice.cookieHeader(), "content-type": "application/octet-stream", "transfer-encoding": "chunked" } });
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
  test(`an upload dropped after ${sendBytes} bytes leaves no blob and no exchange, and the server lives`, async () => {
    const before = blobFiles();
    const contentUrl = await createUpload(20 * 1024 * 1024);
    await abortedPut(contentUrl, sendBytes);
    await waitFor(async () => (await alice.fetch(contentUrl, { method: "DELETE" })).status === 404 || undefined, "the aborted exchange to disappear");
    await waitFor(() => (blobFiles().length === before.length ? true : undefined), "temporary blob files to be removed");
    assert.deepEqual(blobFiles(), before);
    const alive = await alice.fetch("/api/auth/csrf");
    assert.equal(alive.status, 200);
    assert.doesNotMatch(stack.appOutput(), /ERR_STREAM_PREMATURE_CLOSE|uncaught/i);
  });
}

test("an upload cancelled before any byte is sent is discarded", async () => {
  const contentUrl = await createUpload(10);
  const cancelled = await alice.fetch(contentUrl, { method: "DELETE" });
  assert.equal(cancelled.status, 204);
  const put = await alice.fetch(contentUrl, { method: "PUT", body: randomBytes(10) });
  assert.equal(put.status, 404);
});

test("a body larger than declared is refused while streaming", async () => {
  const contentUrl = await createUpload(1000);
  const put = await alice.fetch(contentUrl, { method: "PUT", body: randomBytes(5000) });
  assert.equal(put.status, 413);
  assert.equal(((await put.json()) as { error: { code: string } }).error.code, "too_large");
});
