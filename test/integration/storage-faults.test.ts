// An S3 that refuses or throttles is the blob store failing, and is reported as that: the person is told storage is
// failing and to try later, and the audit trail says storage_failure, never that the key service refused the
// organization's role. The S3 here is a real HTTP endpoint answering with S3's own error documents.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { startStack, type Stack } from "../support/stack";
import { WebClient } from "../support/web-client";

let stack: Stack;
let s3: Server;
let alice: WebClient;
let aria: WebClient;
let answer = { status: 403, code: "AccessDenied", message: "Access Denied" };

before(async () => {
  s3 = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      response.writeHead(answer.status, { "content-type": "application/xml" });
      response.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${answer.code}</Code><Message>${answer.message}</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>`);
    });
  });
  await new Promise<void>((resolve) => s3.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(s3.address() as AddressInfo).port}`;
  stack = await startStack({ s3: { endpoint, bucket: "keybridge-blobs" } });
  alice = await WebClient.signedIn(stack.appUrl, "alice@acme.example");
  aria = await WebClient.signedIn(stack.appUrl, "aria@acme.example");
});

after(async () => {
  await stack?.stop();
  await new Promise((resolve) => s3?.close(resolve));
});

for (const refusal of [
  { status: 403, code: "AccessDenied", message: "Access Denied" },
  { status: 503, code: "SlowDown", message: "Please reduce your request rate." },
]) {
  test(`S3 answering ${refusal.status} ${refusal.code} fails the upload as storage, not as the key service`, async () => {
    answer = refusal;
    const content = randomBytes(256 * 1024);
    const fileName = `s3-${refusal.code}.bin`;
    const refused = await alice.upload({ recipientOrg: "globex", fileName, content, size: content.length });
    assert.equal(refused.status, 507, JSON.stringify(refused.body));
    assert.equal(refused.body.error?.code, "storage_failure");
    assert.doesNotMatch(refused.body.error?.message ?? "", /key service/i);

    const events = (await (await aria.fetch("/api/audit/export?format=jsonl")).text())
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { action: string; outcome: string; reason: string | null });
    const failed = events.filter((event) => event.action === "upload.failed");
    assert.ok(failed.length > 0, "the failed part is audited");
    assert.ok(
      failed.every((event) => event.reason === "storage_failure"),
      JSON.stringify(failed.map((event) => event.reason)),
    );
    assert.ok(!events.some((event) => event.reason === "key_service_denied" || event.reason === "key_service_unavailable"), "nothing blames the key service");
  });
}
