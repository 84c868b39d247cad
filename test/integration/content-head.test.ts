// HEAD on the content routes (issue 12): Next answers HEAD by running GET and discarding the body, so a HEAD used to
// reserve, count and audit a download. Now it is refused with 405 and never reaches the download path.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { hashBody, sha256 } from "../support/bytes";
import { sendFile } from "../support/send-file";
import { startStack, type Stack } from "../support/stack";
import { WebClient } from "../support/web-client";

let stack: Stack;
let alice: WebClient;
let bob: WebClient;
let aria: WebClient;

before(async () => {
  stack = await startStack();
  [alice, bob, aria] = await Promise.all([
    WebClient.signedIn(stack.appUrl, "alice@acme.example"),
    WebClient.signedIn(stack.appUrl, "bob@globex.example"),
    WebClient.signedIn(stack.appUrl, "aria@acme.example"),
  ]);
});

after(async () => {
  await stack?.stop();
});

const sendExchange = async (content: Buffer) => (await sendFile(alice, content, { fileName: "head.bin" })).exchangeId;

async function oneDownloadLink(exchangeId: string): Promise<string> {
  const response = await alice.fetch(`/api/exchanges/${exchangeId}/links`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ maxDownloads: 1 }) });
  assert.equal(response.status, 201, await response.clone().text());
  return ((await response.json()) as { token: string }).token;
}

async function downloadEvents(exchangeId: string): Promise<string[]> {
  const response = await aria.fetch(`/api/audit/export?format=jsonl&exchange=${exchangeId}`);
  assert.equal(response.status, 200);
  return (await response.text())
    .split("\n")
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { action: string }).action)
    .filter((action) => action.startsWith("download."));
}

async function assertHeadRefused(path: string): Promise<void> {
  const response = await bob.fetch(path, { method: "HEAD" });
  assert.equal(response.status, 405, `HEAD ${path}`);
  assert.equal(response.headers.get("allow"), "GET");
  assert.equal(response.headers.get("content-disposition"), null, "no download headers");
}

for (const [name, size] of [
  ["a one-part file", 20_000],
  ["a file of several parts", 16 * 1024 * 1024 + 5],
] as const) {
  test(`HEAD on both content routes of ${name} neither uses up a 1-download link nor writes download rows`, async () => {
    const content = randomBytes(size);
    const exchangeId = await sendExchange(content);
    const token = await oneDownloadLink(exchangeId);

    for (let attempt = 0; attempt < 3; attempt += 1) {
      await assertHeadRefused(`/api/links/${token}/content`);
      await assertHeadRefused(`/api/exchanges/${exchangeId}/content`);
    }
    assert.deepEqual(await downloadEvents(exchangeId), [], "a HEAD is not a download");

    // The link's one download is still there, and no reservation was left behind by the HEADs.
    const download = await bob.fetch(`/api/links/${token}/content`);
    assert.equal(download.status, 200, download.status === 200 ? "" : await download.text());
    assert.deepEqual(await hashBody(download), { bytes: content.length, sha256: sha256(content) });
    assert.deepEqual((await downloadEvents(exchangeId)).sort(), ["download.completed", "download.started"]);
    assert.equal((await bob.fetch(`/api/links/${token}/content`)).status, 410, "then the link is used up");
  });
}

test("other methods on the content routes are refused without touching the download path", async () => {
  const exchangeId = await sendExchange(randomBytes(1000));
  for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
    const response = await bob.fetch(`/api/exchanges/${exchangeId}/content`, { method, headers: { origin: stack.appUrl } });
    assert.equal(response.status, 405, method);
  }
  assert.deepEqual(await downloadEvents(exchangeId), []);
});
