// The app server is killed with SIGKILL in the middle of an upload and of a download, and started again on the same
// database and blob store: no half exchange is ever visible, the partial blob and row are swept once older than the
// stale-upload age, the file downloads whole after the restart, and the audit chain still verifies.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { PART_SHA256_HEADER, partPath } from "../../lib/contract/transfer";
import { hashBody, sha256, waitFor } from "../support/bytes";
import { runProcess } from "../support/processes";
import { startStack, type Stack } from "../support/stack";
import { WebClient } from "../support/web-client";

const STALE_AFTER_SECONDS = 10;
const MiB = 1024 * 1024;

let stack: Stack;

before(async () => {
  stack = await startStack({
    configure: (config) => {
      config.uploads = { staleAfterSeconds: STALE_AFTER_SECONDS, sweepEverySeconds: 1 };
    },
  });
});

after(async () => {
  await stack?.stop();
});

function incomingBytes(): number {
  const dir = join(stack.dataDir, "blobs", ".incoming");
  return readdirSync(dir).reduce((total, name) => total + statSync(join(dir, name)).size, 0);
}

function incomingFiles(): string[] {
  return readdirSync(join(stack.dataDir, "blobs", ".incoming"));
}

/** The blobs the store has committed (a stored part is one), not the ones still being written. */
function committedBlobs(): string[] {
  return readdirSync(join(stack.dataDir, "blobs"))
    .filter((name) => !name.startsWith("."))
    .sort();
}

/** Sends `sent` bytes, then holds the request open without finishing it, as a slow or stalled client would. */
function stallingBody(sent: number): ReadableStream<Uint8Array> {
  let pushed = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pushed >= sent) return new Promise<void>(() => undefined);
      const chunk = randomBytes(Math.min(MiB, sent - pushed));
      pushed += chunk.length;
      controller.enqueue(chunk);
    },
  });
}

interface ExportedEvent {
  seq: number;
  action: string;
  outcome: string;
  reason: string | null;
}

/** The exchange's audit events, oldest first, through the dashboard's own export. */
async function exportedEvents(auditor: WebClient, exchangeId: string): Promise<ExportedEvent[]> {
  const response = await auditor.fetch(`/api/audit/export?format=jsonl&exchange=${exchangeId}`);
  assert.equal(response.status, 200);
  return (await response.text())
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ExportedEvent)
    .sort((a, b) => a.seq - b.seq);
}

test("an upload cut by SIGKILL mid-part never appears, keeps no partial part, and is swept after restart", async () => {
  const alice = await WebClient.signedIn(stack.appUrl, "alice@acme.example");
  const created = await alice.fetch("/api/uploads", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ recipientOrg: "globex", fileName: "killed-mid-upload.bin", contentType: "application/octet-stream", message: "", size: 64 * MiB }),
  });
  assert.equal(created.status, 201);
  const { exchangeId } = (await created.json()) as { exchangeId: string };
  const committedBefore = committedBlobs();
  const upload = alice.fetch(partPath(exchangeId, 1), { method: "PUT", headers: { "content-type": "application/octet-stream", [PART_SHA256_HEADER]: "0".repeat(64) }, body: stallingBody(8 * MiB), duplex: "half" } as RequestInit);
  const failedUpload = upload.then(
    () => "answered",
    () => "connection lost",
  );
  await waitFor(() => (incomingBytes() > 4 * MiB ? true : undefined), "ciphertext arriving in the blob store");

  await stack.killApp();
  assert.equal(await failedUpload, "connection lost");
  await stack.restartApp();

  const again = await WebClient.signedIn(stack.appUrl, "alice@acme.example");
  assert.doesNotMatch(await (await again.fetch("/sent")).text(), /killed-mid-upload/);
  const bob = await WebClient.signedIn(stack.appUrl, "bob@globex.example");
  assert.doesNotMatch(await (await bob.fetch("/inbox")).text(), /killed-mid-upload/);
  assert.equal((await bob.fetch(`/api/exchanges/${exchangeId}/content`)).status, 404);
  assert.deepEqual(committedBlobs(), committedBefore, "half a part is never kept as a part");

  const aria = await WebClient.signedIn(stack.appUrl, "aria@acme.example");
  await waitFor(async () => ((await exportedEvents(aria, exchangeId)).some((event) => event.reason === "expired_incomplete") ? true : undefined), "the stale upload swept", 30_000);
  await waitFor(() => (incomingFiles().length === 0 ? true : undefined), "the partial blob removed", 30_000);
  assert.deepEqual(
    (await exportedEvents(aria, exchangeId)).map((event) => `${event.action} ${event.outcome}`),
    ["upload.started success", "upload.failed failed"],
  );
});

test("a download cut by SIGKILL leaves the exchange intact: after restart it downloads whole", async () => {
  const alice = await WebClient.signedIn(stack.appUrl, "alice@acme.example");
  const content = randomBytes(48 * MiB);
  const uploaded = await alice.upload({ recipientOrg: "globex", fileName: "killed-mid-download.bin", content, size: content.length });
  assert.equal(uploaded.status, 200, JSON.stringify(uploaded.body));
  const exchangeId = uploaded.body.exchangeId as string;

  const bob = await WebClient.signedIn(stack.appUrl, "bob@globex.example");
  const download = await bob.fetch(`/api/exchanges/${exchangeId}/content`);
  assert.equal(download.status, 200);
  const reader = (download.body as ReadableStream<Uint8Array>).getReader();
  const first = await reader.read();
  assert.ok(first.value && first.value.length > 0);
  await stack.killApp();
  let cut = false;
  try {
    while (!(await reader.read()).done);
  } catch {
    cut = true;
  }
  assert.ok(cut, "a download killed half-way looked complete");
  await stack.restartApp();

  const bobAgain = await WebClient.signedIn(stack.appUrl, "bob@globex.example");
  const whole = await bobAgain.fetch(`/api/exchanges/${exchangeId}/content`);
  assert.equal(whole.status, 200);
  assert.deepEqual(await hashBody(whole), { bytes: content.length, sha256: sha256(content) });

  const greg = await WebClient.signedIn(stack.appUrl, "greg@globex.example");
  const actions = (await exportedEvents(greg, exchangeId)).map((event) => `${event.action} ${event.outcome}`);
  assert.deepEqual(
    actions.filter((action) => action.startsWith("download.")),
    ["download.started success", "download.started success", "download.completed success"],
    "the killed download is recorded as started and never as completed",
  );
});

test("after both crashes the audit hash chain verifies end to end", async () => {
  await stack.killApp();
  const verified = await runProcess(process.execPath, ["--conditions=react-server", "--import", "tsx", resolve(__dirname, "../../scripts/audit-verify.ts")], stack.appEnv);
  assert.match(verified, /audit chain OK: \d+ events verified/);
  await stack.restartApp();
});
