// Issue 7's flaky-connection story at full scale: a 2 GiB parted upload (16 MiB parts, three in flight) loses its
// connections at 40% and the server is killed at 60%; each time the client asks which parts the server holds and
// sends only the rest. The file downloads with the same SHA-256, and KMS was asked for a data key once per server
// process (plus once for the manifest), not once per part.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { hashBody } from "../support/bytes";
import { partRange } from "../../lib/contract/transfer";
import { completeUpload, createPartedUpload, putPart, storedParts, syntheticFile } from "../support/parted-upload";
import { startStack, type Stack } from "../support/stack";
import { WebClient } from "../support/web-client";

const SIZE = 2 * 1024 ** 3;
const CONCURRENCY = 3;

let stack: Stack;

before(async () => {
  stack = await startStack();
});

after(async () => {
  await stack?.stop();
});

/**
 * Sends the parts not yet stored, CONCURRENCY at a time, until `stopAt` parts are stored; then runs `interrupt`
 * while the other parts are still in flight and returns once every in-flight request has ended.
 */
async function sendUntil(client: WebClient, exchangeId: string, parts: number[], bytesOf: (n: number) => Buffer, stopAt: number, interrupt: (controller: AbortController) => Promise<void>): Promise<void> {
  const queue = [...parts];
  const controller = new AbortController();
  let stored = (await storedParts(client, exchangeId)).length;
  // Declared this way so TypeScript does not narrow it to null: the callbacks below assign it.
  let interrupted = null as Promise<void> | null;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let partNumber = queue.shift(); partNumber !== undefined && !controller.signal.aborted && !interrupted; partNumber = queue.shift()) {
        const response = await putPart(client, exchangeId, partNumber, bytesOf(partNumber), { signal: controller.signal }).catch(() => null);
        if (response?.status === 200) stored += 1;
        else if (response) throw new Error(`part ${partNumber}: ${response.status} ${await response.text()}`);
        if (stored >= stopAt && !interrupted) interrupted = interrupt(controller);
      }
    }),
  );
  await interrupted;
}

test("a 2 GiB upload survives dropped connections at 40% and a server restart at 60%, and downloads with the same SHA-256", async () => {
  const file = syntheticFile(SIZE, "parted-resume");
  const alice = await WebClient.signedIn(stack.appUrl, "alice@acme.example");
  const upload = await createPartedUpload(alice, { recipientOrg: "globex", fileName: "two-gibibytes.bin", size: SIZE });
  assert.equal(upload.partCount, 128);
  const bytesOf = (n: number) => {
    const { start, end } = partRange(upload, n);
    return file.bytesAt(start, end - start);
  };
  const all = Array.from({ length: upload.partCount }, (_, index) => index + 1);
  const missing = async () => {
    const held = new Set(await storedParts(alice, upload.exchangeId));
    return all.filter((n) => !held.has(n));
  };

  await sendUntil(alice, upload.exchangeId, all, bytesOf, Math.ceil(0.4 * upload.partCount), async (controller) => controller.abort());
  const afterDrop = await missing();
  assert.ok(afterDrop.length > 0 && afterDrop.length <= 0.6 * upload.partCount + CONCURRENCY, `${afterDrop.length} parts missing after the drop`);

  await sendUntil(alice, upload.exchangeId, afterDrop, bytesOf, Math.ceil(0.6 * upload.partCount), async () => {
    await stack.killApp();
  });
  await stack.restartApp();
  const afterRestart = await missing();
  assert.ok(afterRestart.length > 0 && afterRestart.length < afterDrop.length, `${afterRestart.length} parts missing after the restart`);

  await sendUntil(alice, upload.exchangeId, afterRestart, bytesOf, upload.partCount + 1, async () => undefined);
  assert.deepEqual(await missing(), []);
  const completed = await completeUpload(alice, upload.exchangeId, file.sha256());
  assert.equal(completed.status, 200, await completed.clone().text());

  const bob = await WebClient.signedIn(stack.appUrl, "bob@globex.example");
  const download = await bob.fetch(`/api/exchanges/${upload.exchangeId}/content`);
  assert.equal(download.status, 200);
  assert.deepEqual(await hashBody(download), { bytes: SIZE, sha256: file.sha256() });

  const dataKeys = stack.awsEvents().filter((event) => event.eventName === "GenerateDataKey" && !event.errorCode && event.requestParameters?.encryptionContext?.["exchange-id"] === upload.exchangeId);
  assert.ok(dataKeys.length <= 3, `${dataKeys.length} GenerateDataKey calls for 128 parts over two server processes`);
});
