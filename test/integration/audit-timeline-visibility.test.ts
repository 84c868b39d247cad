// The recipient organization must not learn that an unfinished upload exists (issue 12): its audit timeline of an
// exchange follows the exchange access policy's "view" decision, like every other way of reaching the exchange.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { sha256 } from "../support/bytes";
import { completeUpload, createPartedUpload, putPart } from "../support/parted-upload";
import { startStack, type Stack } from "../support/stack";
import { WebClient } from "../support/web-client";

let stack: Stack;
let alice: WebClient;
let aria: WebClient;
let greg: WebClient;
let gina: WebClient;

before(async () => {
  stack = await startStack();
  [alice, aria, greg, gina] = await Promise.all([
    WebClient.signedIn(stack.appUrl, "alice@acme.example"),
    WebClient.signedIn(stack.appUrl, "aria@acme.example"),
    WebClient.signedIn(stack.appUrl, "greg@globex.example"),
    WebClient.signedIn(stack.appUrl, "gina@globex.example"),
  ]);
});

after(async () => {
  await stack?.stop();
});

test("Globex's auditor sees no timeline of an Acme upload until it is available; Acme's auditor sees it throughout", async () => {
  const content = randomBytes(5000);
  const upload = await createPartedUpload(alice, { fileName: "not-yet.bin", size: content.length });
  const timeline = (as: WebClient) => as.fetch(`/audit/exchanges/${upload.exchangeId}`);

  assert.equal((await timeline(aria)).status, 200, "the sender's auditor follows the upload from its start");
  const hidden = await timeline(greg);
  assert.equal(hidden.status, 404, "an unfinished upload has no timeline for the recipient organization");
  assert.doesNotMatch(await hidden.text(), /data-action="upload\.started"/);

  assert.equal((await putPart(alice, upload.exchangeId, 1, content)).status, 200);
  assert.equal((await timeline(greg)).status, 404, "parts arriving do not reveal it either");

  const completed = await completeUpload(alice, upload.exchangeId, sha256(content));
  assert.equal(completed.status, 200, await completed.clone().text());
  const shown = await timeline(greg);
  assert.equal(shown.status, 200, "once available, the recipient organization's auditor sees its history");
  assert.match(await shown.text(), /data-action="upload\.completed"/);
});

test("a cancelled upload never shows up in the recipient organization's timeline", async () => {
  const upload = await createPartedUpload(alice, { fileName: "cancelled.bin", size: 100 });
  const cancelled = await alice.fetch(`/api/uploads/${upload.exchangeId}`, { method: "DELETE", headers: { origin: stack.appUrl } });
  assert.ok(cancelled.status === 200 || cancelled.status === 204, `cancel: ${cancelled.status}`);
  assert.equal((await greg.fetch(`/audit/exchanges/${upload.exchangeId}`)).status, 404);
  assert.equal((await aria.fetch(`/audit/exchanges/${upload.exchangeId}`)).status, 200, "the sender's organization keeps its history");
  assert.equal((await gina.fetch(`/audit/exchanges/${upload.exchangeId}`)).status, 404);
});
