// KMS and STS misbehave the way AWS does on a bad day, injected by local-aws's test-only fault rules (real wire
// errors, after SigV4): throttling is ridden out by the SDK's retries, an unavailable key service fails the upload
// with a clear 503 and leaves nothing behind, and credentials AWS calls expired are replaced by a fresh AssumeRole.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, beforeEach, test } from "node:test";
import { sha256 } from "../support/bytes";
import { startStack, type Stack } from "../support/stack";
import { WebClient } from "../support/web-client";

let stack: Stack;
let alice: WebClient;
let bob: WebClient;

before(async () => {
  // A fixed seed makes which calls get throttled the same on every run.
  stack = await startStack({ localAwsArgs: ["--test-controls", "--fault-seed", "42"] });
  alice = await WebClient.signedIn(stack.appUrl, "alice@acme.example");
  bob = await WebClient.signedIn(stack.appUrl, "bob@globex.example");
});

beforeEach(async () => {
  await setFaults([]);
});

after(async () => {
  await stack?.stop();
});

async function setFaults(rules: unknown[]): Promise<void> {
  const response = await fetch(`${stack.localAwsUrl}/__local-aws/faults`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(rules) });
  assert.equal(response.status, 204, await response.text());
}

function storedBlobs(): string[] {
  const dir = join(stack.dataDir, "blobs");
  return [...readdirSync(dir).filter((name) => !name.startsWith(".")), ...readdirSync(join(dir, ".incoming"))];
}

async function roundTrip(name: string, size: number): Promise<void> {
  const content = randomBytes(size);
  const uploaded = await alice.upload({ recipientOrg: "globex", fileName: name, content, size });
  assert.equal(uploaded.status, 200, JSON.stringify(uploaded.body));
  const download = await bob.fetch(`/api/exchanges/${uploaded.body.exchangeId}/content`);
  assert.equal(download.status, 200);
  assert.equal(sha256(Buffer.from(await download.arrayBuffer())), sha256(content));
}

const failedCalls = (since: number, errorCode: string) => stack.awsEvents().slice(since).filter((event) => event.errorCode === errorCode);

test("with 30% of KMS and STS calls throttled, uploads and downloads succeed through the SDK's retries", async () => {
  const since = stack.awsEvents().length;
  await setFaults([
    { service: "kms", operation: "*", errorCode: "ThrottlingException", probability: 0.3 },
    { service: "sts", operation: "AssumeRole", errorCode: "Throttling", probability: 0.3 },
  ]);
  for (let index = 0; index < 5; index += 1) await roundTrip(`throttled-${index}.bin`, 2 * 1024 * 1024 + index);
  assert.ok(failedCalls(since, "ThrottlingException").length > 0, "no call was throttled: the fault rule did not apply");
});

for (const [fault, rule] of [
  ["refuses with 503s", { errorCode: "ServiceUnavailableException" }],
  ["drops every connection", { drop: true }],
] as const) {
  test(`when KMS ${fault}, an upload fails with "key service unavailable, try again" and leaves no blob and no exchange`, async () => {
    const blobsBefore = storedBlobs();
    await setFaults([{ service: "kms", operation: "GenerateDataKey", ...rule }]);
    const content = randomBytes(3 * 1024 * 1024);
    const refused = await alice.upload({ recipientOrg: "globex", fileName: `kms-down-${rule.drop ? "drop" : "503"}.bin`, content, size: content.length });
    assert.equal(refused.status, 503, JSON.stringify(refused.body));
    assert.equal(refused.body.error?.code, "key_service_unavailable");
    assert.match(refused.body.error?.message ?? "", /unavailable\. Try again/);
    assert.deepEqual(storedBlobs(), blobsBefore);
    assert.doesNotMatch(await (await alice.fetch("/sent")).text(), /kms-down-/);

    await setFaults([]);
    await roundTrip("after-kms-is-back.bin", 1024);
  });
}

test("role credentials that AWS calls expired are replaced by a fresh AssumeRole, and the transfer goes on", async () => {
  await roundTrip("before-expiry.bin", 4096);
  const since = stack.awsEvents().length;
  const expired = await fetch(`${stack.localAwsUrl}/__local-aws/expire-sessions`, { method: "POST" });
  assert.equal(expired.status, 204);

  await roundTrip("after-expiry.bin", 4096);
  const events = stack.awsEvents().slice(since);
  const rejected = events.filter((event) => event.errorCode === "ExpiredTokenException");
  assert.ok(rejected.length >= 2, "both roles' cached sessions were used once and refused");
  const assumed = events.filter((event) => event.eventName === "AssumeRole" && !event.errorCode);
  assert.ok(assumed.length >= 2, "each role was assumed anew");
});
