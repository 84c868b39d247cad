// One request, one id, everywhere: the response names it (for a person to quote), the server's JSON log line for
// the request carries it, the audit event it caused records it, and the key service saw it in the User-Agent of
// the KMS call made for it. A token in the path never reaches the log.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { waitFor } from "../support/bytes";
import { startStack, type Stack } from "../support/stack";
import { WebClient } from "../support/web-client";

let stack: Stack;
let alice: WebClient;
let aria: WebClient;

before(async () => {
  stack = await startStack();
  alice = await WebClient.signedIn(stack.appUrl, "alice@acme.example");
  aria = await WebClient.signedIn(stack.appUrl, "aria@acme.example");
});

after(async () => {
  await stack?.stop();
});

const logLines = () =>
  stack
    .appOutput()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

test("a link's creation is tied together by its request id: response, log line, audit event and KMS call", async () => {
  const content = randomBytes(2048);
  const uploaded = await alice.upload({ recipientOrg: "globex", fileName: "request-ids.bin", content, size: content.length });
  assert.equal(uploaded.status, 200);
  const response = await alice.fetch(`/api/exchanges/${uploaded.body.exchangeId}/links`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ maxDownloads: 1, note: "for the quarterly close" }),
  });
  assert.equal(response.status, 201, await response.clone().text());
  const requestId = response.headers.get("x-request-id") ?? "";
  assert.match(requestId, /^[0-9a-f-]{36}$/);
  const { linkId, token } = (await response.json()) as { linkId: string; token: string };

  const line = await waitFor(() => logLines().find((entry) => entry.requestId === requestId && entry.msg === "request"), "the request's log line");
  assert.equal(line.method, "POST");
  assert.equal(line.status, 201);
  assert.equal(line.path, `/api/exchanges/${uploaded.body.exchangeId}/links`);

  // local-aws appends its event log as it answers; the line may land just after the app's response.
  const kmsCall = await waitFor(
    () => stack.awsEvents().find((event) => event.eventName === "Encrypt" && String(event.userAgent).includes(`keybridge-request/${requestId}`)),
    "the note's kms:Encrypt naming the request in its User-Agent",
  );

  const events = (await (await aria.fetch("/api/audit/export?format=jsonl")).text())
    .split("\n")
    .filter(Boolean)
    .map((text) => JSON.parse(text) as { action: string; targetId: string | null; details: Record<string, unknown>; awsRequestIds: string[] });
  const created = events.find((event) => event.action === "link.created" && event.targetId === linkId);
  assert.equal(created?.details.requestId, requestId);
  assert.ok(created?.awsRequestIds.includes(String(kmsCall.requestID)), "and the event names that KMS call's own request id");

  await alice.fetch(`/l/${token}`);
  assert.ok(!stack.appOutput().includes(token), "the link's token is in no log line");
});
