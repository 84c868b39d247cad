// Looking at a page changes nothing: the Inbox is marked seen by an explicit request the page sends once shown, and
// audit checkpoints are signed by the maintenance sweep, not by whoever opens the dashboard. (The only rows a GET adds
// are audit events for the KMS calls it made to decrypt names: every key use is audited.)
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { builtActionIds, callFormAction } from "../support/server-actions";
import { startStack, type Stack } from "../support/stack";
import { WebClient } from "../support/web-client";

let stack: Stack;
let alice: WebClient;
let bob: WebClient;
let aria: WebClient;

before(async () => {
  // The sweep (which signs checkpoints) stays out of the way while this test looks.
  stack = await startStack({ configure: (config) => Object.assign(config, { uploads: { ...(config.uploads as object), sweepEverySeconds: 3600 } }) });
  alice = await WebClient.signedIn(stack.appUrl, "alice@acme.example");
  bob = await WebClient.signedIn(stack.appUrl, "bob@globex.example");
  aria = await WebClient.signedIn(stack.appUrl, "aria@acme.example");
});

after(async () => {
  await stack?.stop();
});

const unreadBadge = (html: string) => /data-testid="inbox-unread"[^>]*>(\d+)/.exec(html)?.[1] ?? null;

test("opening the Inbox leaves the badge as it was; the page's own seen request clears it", async () => {
  await bob.fetch("/inbox");
  await callFormAction(bob, builtActionIds().get("markInboxSeenAction") as string, "/inbox", {});
  const content = randomBytes(1024);
  assert.equal((await alice.upload({ recipientOrg: "globex", fileName: "new-for-bob.bin", content, size: content.length })).status, 200);

  assert.equal(unreadBadge(await (await bob.fetch("/inbox")).text()), "1");
  assert.equal(unreadBadge(await (await bob.fetch("/inbox")).text()), "1", "a GET of the Inbox marked it seen");

  const seen = await callFormAction(bob, builtActionIds().get("markInboxSeenAction") as string, "/inbox", {});
  assert.equal(seen.ok, true, JSON.stringify(seen));
  assert.equal(unreadBadge(await (await bob.fetch("/settings/security")).text()), null);
});

test("opening the audit dashboard verifies the chain but signs no checkpoint", async () => {
  const badge = async () => /data-testid="chain-badge"[\s\S]*?(nothing new since the last signed checkpoint|[\d,]+ new events? verified)/.exec(await (await aria.fetch("/audit")).text())?.[1];
  const first = await badge();
  assert.match(first ?? "", /new events? verified/, "there are events no checkpoint covers yet");
  assert.equal(await badge(), first, "the first view signed a checkpoint over the events it verified");
});
