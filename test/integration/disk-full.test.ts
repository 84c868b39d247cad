// The blob store's disk fills up mid-upload: a real ENOSPC from the kernel (a small tmpfs mounted as the blob
// directory; mounting needs root, as in CI). The upload fails with a clear error, nothing is kept, and the server
// takes the next upload once there is room.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startStack, type Stack } from "../support/stack";
import { WebClient } from "../support/web-client";

const dataDir = mkdtempSync(join(tmpdir(), "keybridge-disk-full-"));
const blobDir = join(dataDir, "blobs");
let mounted = false;
let stack: Stack;

before(async () => {
  mkdirSync(blobDir);
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=6m,mode=0700", "tmpfs", blobDir], { stdio: "pipe" });
    mounted = true;
  } catch {
    return;
  }
  stack = await startStack({ env: { KEYBRIDGE_DATA_DIR: dataDir } });
});

after(async () => {
  await stack?.stop();
  if (mounted) execFileSync("umount", [blobDir]);
  rmSync(dataDir, { recursive: true, force: true });
});

test("an upload larger than the free space fails with a clear 507, keeps nothing, and the next upload works", async (t) => {
  if (!mounted) return t.skip("mounting a tmpfs needs root (CI runs as root)");
  const alice = await WebClient.signedIn(stack.appUrl, "alice@acme.example");
  const big = randomBytes(10 * 1024 * 1024);
  const refused = await alice.upload({ recipientOrg: "globex", fileName: "too-big-for-the-disk.bin", content: big, size: big.length });
  assert.equal(refused.status, 507, JSON.stringify(refused.body));
  assert.equal(refused.body.error?.code, "storage_failure");
  assert.match(refused.body.error?.message ?? "", /storage is full/);
  assert.deepEqual(readdirSync(blobDir).filter((name) => name !== ".incoming"), []);
  assert.deepEqual(readdirSync(join(blobDir, ".incoming")), [], "the partial blob was removed");
  assert.doesNotMatch(await (await alice.fetch("/sent")).text(), /too-big-for-the-disk/);

  const small = randomBytes(1024 * 1024);
  const accepted = await alice.upload({ recipientOrg: "globex", fileName: "fits.bin", content: small, size: small.length });
  assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
  assert.match(await (await alice.fetch("/sent")).text(), /fits\.bin/);
});
