// Issue 5: every audited action that exists today writes exactly one event with the right fields, driven through
// real HTTP flows; the events are read back through the dashboard's own export, as an Acme auditor.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { DEMO_PASSWORD } from "../../scripts/demo-users";
import { newestBlob } from "../support/blob-files";
import { waitFor } from "../support/bytes";
import { createPartedUpload, putPart } from "../support/parted-upload";
import { startStack, type Stack } from "../support/stack";
import { WebClient } from "../support/web-client";

interface ExportedEvent {
  seq: number;
  action: string;
  outcome: string;
  reason: string | null;
  actorName: string | null;
  actorOrg: string | null;
  actorRole: string | null;
  targetType: string | null;
  targetId: string | null;
  partyOrgs: string[];
  clientIp: string | null;
  userAgent: string | null;
  awsRequestIds: string[];
  roleSessionArn: string | null;
  details: Record<string, unknown>;
}

let stack: Stack;
let aria: WebClient;
let alice: WebClient;
let bob: WebClient;

before(async () => {
  stack = await startStack();
  aria = await WebClient.signedIn(stack.appUrl, "aria@acme.example");
  alice = await WebClient.signedIn(stack.appUrl, "alice@acme.example");
  bob = await WebClient.signedIn(stack.appUrl, "bob@globex.example");
});

after(async () => {
  await stack?.stop();
});

async function exportedEvents(query = ""): Promise<ExportedEvent[]> {
  const response = await aria.fetch(`/api/audit/export?format=jsonl${query}`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /application\/x-ndjson/);
  return (await response.text())
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ExportedEvent);
}

async function lastSeq(): Promise<number> {
  return Math.max(0, ...(await exportedEvents()).map((event) => event.seq));
}

async function uploaded(fileName: string, size = 2000): Promise<string> {
  const content = randomBytes(size);
  const result = await alice.upload({ recipientOrg: "globex", fileName, content, size });
  assert.equal(result.status, 200, JSON.stringify(result.body));
  return result.body.exchangeId as string;
}

interface Expected {
  action: string;
  outcome: string;
  reason?: string;
  actor: [name: string | null, org: string | null, role: string | null];
  /** The exchange the event is about; "exchange" means the one the step returned. */
  target?: "exchange";
  /** The event names KMS/STS calls that local-aws logged. */
  usesAws?: boolean;
}

const ALICE: Expected["actor"] = ["Alice Anders", "acme", "member"];
const BOB: Expected["actor"] = ["Bob Brennan", "globex", "member"];

// [name, step (returns the exchange id, if any), the one event it must write]
const cases: Array<[string, () => Promise<string | undefined>, Expected]> = [
  ["sign-in success", async () => void (await WebClient.signedIn(stack.appUrl, "alice@acme.example")), { action: "auth.sign_in", outcome: "success", actor: ALICE }],
  [
    "sign-in failure",
    async () => void assert.equal(await new WebClient(stack.appUrl).signIn("alice@acme.example", { password: "wrong-password", code: null }), "invalid_credentials"),
    { action: "auth.sign_in", outcome: "denied", reason: "invalid_credentials", actor: ALICE },
  ],
  [
    "upload started",
    async () => {
      const created = await alice.fetch("/api/uploads", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ recipientOrg: "globex", fileName: "started.bin", size: 10 }) });
      assert.equal(created.status, 201);
      return ((await created.json()) as { exchangeId: string }).exchangeId;
    },
    { action: "upload.started", outcome: "success", actor: ALICE, target: "exchange", usesAws: true },
  ],
  ["upload completed", () => uploaded("completed.bin"), { action: "upload.completed", outcome: "success", actor: ALICE, target: "exchange", usesAws: true }],
  [
    "upload cancelled",
    async () => {
      const created = await alice.fetch("/api/uploads", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ recipientOrg: "globex", fileName: "cancel.bin", size: 10 }) });
      const { exchangeId } = (await created.json()) as { exchangeId: string };
      assert.equal((await alice.fetch(`/api/uploads/${exchangeId}`, { method: "DELETE" })).status, 204);
      return exchangeId;
    },
    { action: "upload.cancelled", outcome: "success", actor: ALICE, target: "exchange" },
  ],
  [
    "upload failed (a part that is not what the sender's client read)",
    async () => {
      const { exchangeId } = await createPartedUpload(alice, { fileName: "spliced.bin", size: 1000 });
      assert.equal((await putPart(alice, exchangeId, 1, randomBytes(1000), { sha256: "0".repeat(64) })).status, 422);
      return exchangeId;
    },
    { action: "upload.failed", outcome: "denied", reason: "part_digest_mismatch", actor: ALICE, target: "exchange", usesAws: true },
  ],
  [
    "metadata decrypted (the exchange page)",
    async () => {
      const exchangeId = await uploaded("named.bin");
      assert.equal((await bob.fetch(`/exchanges/${exchangeId}`)).status, 200);
      return exchangeId;
    },
    { action: "exchange.metadata_decrypted", outcome: "success", actor: BOB, target: "exchange", usesAws: true },
  ],
  [
    "download started",
    async () => {
      const exchangeId = await uploaded("download.bin");
      await (await bob.fetch(`/api/exchanges/${exchangeId}/content`)).arrayBuffer();
      return exchangeId;
    },
    { action: "download.started", outcome: "success", actor: BOB, target: "exchange", usesAws: true },
  ],
  [
    "download completed",
    async () => {
      const exchangeId = await uploaded("complete.bin");
      await (await bob.fetch(`/api/exchanges/${exchangeId}/content`)).arrayBuffer();
      return exchangeId;
    },
    { action: "download.completed", outcome: "success", actor: BOB, target: "exchange" },
  ],
  [
    "download denied (the sender may not decrypt)",
    async () => {
      const exchangeId = await uploaded("denied.bin");
      assert.equal((await alice.fetch(`/api/exchanges/${exchangeId}/content`)).status, 403);
      return exchangeId;
    },
    { action: "download.denied", outcome: "denied", reason: "forbidden", actor: ALICE, target: "exchange" },
  ],
  [
    "download failed (a blob damaged at rest)",
    async () => {
      const exchangeId = await uploaded("damaged.bin", 3 * 1024 * 1024);
      const blob = newestBlob(stack.dataDir);
      const stored = readFileSync(blob);
      const middle = Math.floor(stored.length / 2);
      stored.writeUInt8(stored.readUInt8(middle) ^ 0x01, middle);
      writeFileSync(blob, stored);
      const response = await bob.fetch(`/api/exchanges/${exchangeId}/content`);
      await response.arrayBuffer().catch(() => undefined);
      return exchangeId;
    },
    { action: "download.failed", outcome: "failed", reason: "integrity_failure", actor: BOB, target: "exchange" },
  ],
];

for (const [name, step, expected] of cases) {
  test(`${name} writes exactly one ${expected.action} event with the right fields`, async () => {
    const before = await lastSeq();
    const exchangeId = await step();
    // Some events (a download's end) are written when the stream closes, just after the response.
    const written = await waitFor(async () => {
      const found = (await exportedEvents()).filter((event) => event.seq > before && event.action === expected.action && (!expected.target || event.targetId === exchangeId));
      return found.length > 0 ? found : undefined;
    }, `${expected.action} event`);
    assert.equal(written.length, 1, JSON.stringify(written));
    const [event] = written as [ExportedEvent];
    assert.equal(event.outcome, expected.outcome);
    assert.equal(event.reason, expected.reason ?? null);
    assert.deepEqual([event.actorName, event.actorOrg, event.actorRole], expected.actor);
    assert.equal(event.clientIp, "127.0.0.1");
    assert.ok(event.userAgent, "the user agent is recorded");
    if (expected.target) {
      assert.equal(event.targetType, "exchange");
      assert.deepEqual(event.partyOrgs, ["acme", "globex"]);
    }
    if (expected.usesAws) {
      assert.ok(event.awsRequestIds.length > 0, "names the AWS requests behind it");
      assert.match(event.roleSessionArn ?? "", /^arn:aws:sts::\d{12}:assumed-role\/keybridge-/);
      // local-aws appends to its event log as it answers: the last call's line can land just after the response.
      const unlogged = () => {
        const logged = new Set(stack.awsEvents().map((record) => record.requestID as string));
        return event.awsRequestIds.filter((id) => !logged.has(id));
      };
      await waitFor(() => (unlogged().length === 0 ? true : undefined), "every request id in local-aws's event log", 3000).catch(() => undefined);
      assert.deepEqual(unlogged(), [], "every request id is in local-aws's event log");
    }
    const text = JSON.stringify(event);
    assert.ok(!text.includes(DEMO_PASSWORD) && !text.includes("wrong-password"), "no password in an event");
    assert.ok(!/session-token|secret/i.test(text), "no token or secret in an event");
  });
}

test("a member's export holds only their own events; the Globex auditor sees Acme's upload to Globex but not Acme's sign-ins", async () => {
  const exchangeId = await uploaded("visibility.bin");
  const own = await (await bob.fetch("/api/audit/export?format=jsonl")).text();
  const bobEvents = own.split("\n").filter(Boolean).map((line) => JSON.parse(line) as ExportedEvent);
  assert.ok(bobEvents.length > 0);
  assert.deepEqual([...new Set(bobEvents.map((event) => event.actorName))], ["Bob Brennan"]);

  const greg = await WebClient.signedIn(stack.appUrl, "greg@globex.example");
  const seen = (await (await greg.fetch(`/api/audit/export?format=jsonl&exchange=${exchangeId}`)).text()).split("\n").filter(Boolean).map((line) => JSON.parse(line) as ExportedEvent);
  assert.deepEqual(seen.map((event) => event.action).sort(), ["upload.completed", "upload.started"]);
  const signIns = (await (await greg.fetch("/api/audit/export?format=jsonl&action=auth.sign_in")).text()).split("\n").filter(Boolean).map((line) => JSON.parse(line) as ExportedEvent);
  assert.ok(signIns.length > 0 && signIns.every((event) => event.actorOrg === "globex"));
});

test("the CSV export neutralises formulas and a bad filter is refused, not widened", async () => {
  const csv = await (await aria.fetch("/api/audit/export?format=csv&action=auth.sign_in")).text();
  const [header, ...rows] = csv.trimEnd().split("\r\n");
  assert.match(header ?? "", /^seq,occurred_at,action,outcome/);
  assert.ok(rows.length > 0 && rows.every((row) => row.includes(",auth.sign_in,")));
  assert.equal((await aria.fetch("/api/audit/export?format=csv&exchange=not-an-id")).status, 400);
  assert.equal((await new WebClient(stack.appUrl).fetch("/api/audit/export")).status, 401);
});

test("the dashboard and an exchange's timeline render for an auditor", async () => {
  const exchangeId = await uploaded("timeline.bin");
  const dashboard = await aria.fetch(`/audit?exchange=${exchangeId}`);
  assert.equal(dashboard.status, 200);
  const html = await dashboard.text();
  assert.match(html, /data-testid="chain-badge" data-state="ok"/);
  assert.match(html, /data-action="upload.completed"/);
  const timeline = await aria.fetch(`/audit/exchanges/${exchangeId}`);
  assert.equal(timeline.status, 200);
  assert.match(await timeline.text(), /data-testid="exchange-timeline"/);
  assert.equal((await new WebClient(stack.appUrl).fetch("/audit")).status, 307);
});

test("a KMS Decrypt made with Globex's role outside the app is flagged for Globex's auditor; the app's own calls are matched", async () => {
  const { KMS } = await import("@aws-sdk/client-kms");
  const { AssumeRoleCommand, STSClient } = await import("@aws-sdk/client-sts");
  const { APP_ACCESS_KEY_ID, APP_SECRET_ACCESS_KEY, EXCHANGE_KEY_ARN, REGION } = await import("../support/stack");
  const exchangeId = await uploaded("direct.bin");
  const roleKms = async (roleArn: string, externalId: string, org: string) => {
    const sts = new STSClient({ region: REGION, endpoint: stack.localAwsUrl, credentials: { accessKeyId: APP_ACCESS_KEY_ID, secretAccessKey: APP_SECRET_ACCESS_KEY } });
    const { Credentials: c } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, ExternalId: externalId, RoleSessionName: `direct-${org}`, Tags: [{ Key: "kb-org", Value: org }] }));
    return new KMS({ region: REGION, endpoint: stack.localAwsUrl, credentials: { accessKeyId: c?.AccessKeyId ?? "", secretAccessKey: c?.SecretAccessKey ?? "", sessionToken: c?.SessionToken ?? "" } });
  };
  const context = { "exchange-id": exchangeId, "sender-org": "acme", "recipient-org": "globex", purpose: "metadata" };
  const acmeKms = await roleKms("arn:aws:iam::111111111111:role/keybridge-acme-uploader", "keybridge-acme-7f3c2a", "acme");
  const { CiphertextBlob } = await acmeKms.encrypt({ KeyId: EXCHANGE_KEY_ARN, Plaintext: Buffer.from("not through the app"), EncryptionContext: context });
  const globexKms = await roleKms("arn:aws:iam::222222222222:role/keybridge-globex-downloader", "keybridge-globex-41d9e6", "globex");
  const decrypted = await globexKms.decrypt({ KeyId: EXCHANGE_KEY_ARN, CiphertextBlob, EncryptionContext: context });
  const requestId = decrypted.$metadata.requestId as string;

  const greg = await WebClient.signedIn(stack.appUrl, "greg@globex.example");
  // Calls younger than the matching grace period are "still being matched", so the page is asked again until flagged.
  const html = await waitFor(async () => {
    const page = await (await greg.fetch("/audit")).text();
    return page.includes(requestId) && page.includes('data-testid="kms-flagged-row"') ? page : undefined;
  }, "the direct Decrypt flagged on Globex's dashboard", 40_000);
  assert.match(html, /data-testid="kms-flagged-row" data-operation="Decrypt"/);
  assert.match(html, /data-testid="kms-match" data-matched="true"/);
  // Alice's upload made GenerateDataKey through the app: it is matched, never flagged.
  const upload = (await exportedEvents(`&exchange=${exchangeId}&action=upload.completed`))[0];
  for (const id of upload?.awsRequestIds ?? []) assert.ok(!html.includes(`<code class="hash">${id}</code></td></tr>`), `app request ${id} is not flagged`);
});

test("the upload.completed event carries the whole file's SHA-256, as the exchange page shows it", async () => {
  const content = randomBytes(3000);
  const sent = await alice.upload({ recipientOrg: "globex", fileName: "digest.bin", content, size: content.length });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  const [completed] = await exportedEvents(`&exchange=${sent.exchangeId}&action=upload.completed`);
  assert.equal(completed?.details.sha256, createHash("sha256").update(content).digest("hex"));
});

test("search by file name finds the exchange's events for those who may read its name, and only theirs", async () => {
  const exchangeId = await uploaded("quarterly-forecast-7731.xlsx");
  const found = await exportedEvents("&q=FORECAST-7731");
  assert.ok(found.some((event) => event.action === "upload.completed" && event.targetId === exchangeId));
  const ivan = await WebClient.signedIn(stack.appUrl, "ivan@initech.example");
  const byInitech = await (await ivan.fetch("/api/audit/export?format=jsonl&q=forecast-7731")).text();
  assert.equal(byInitech.includes(exchangeId), false);
});
