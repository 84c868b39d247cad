import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { runLoad } from "../../scripts/bench/load";
import { startStack, type Stack } from "../support/stack";

// The reduced form of `npm run bench:load` (which runs 50 clients × 60 s with 1–10 MiB files and prints the figures).
let stack: Stack;

before(async () => {
  stack = await startStack();
});

after(async () => {
  await stack?.stop();
});

test("8 concurrent clients uploading and downloading 1–2 MiB files: no errors, every byte verified, every transfer audited", async () => {
  const result = await runLoad({ appUrl: stack.appUrl, clients: 8, seconds: 10, minBytes: 1024 * 1024, maxBytes: 2 * 1024 * 1024 });
  assert.deepEqual(result.errors, []);
  assert.ok(result.verified >= 8, `${result.verified} transfers`);
  assert.equal(result.verified, result.transfers);
  assert.deepEqual(result.missingAuditEvents, []);
  assert.ok(result.chainIntact, "the audit hash chain verifies");
});
