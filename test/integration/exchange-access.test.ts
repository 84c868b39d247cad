// Issue 12 and 13 on PostgreSQL, through HTTP: who may download an exchange and how often holds on every route (a
// link narrows it, never widens it), with a 100-request burst across routes; what a recipient is shown as verified
// comes from sealed data, so rewriting the database refuses the download before its first byte; a sender whose
// declared whole-file digest is wrong produces a download that never completes; link downloads resume with Range.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { sha256 } from "../support/bytes";
import { startPostgres, type PostgresServer } from "../support/postgres";
import { sendFile, type SendOptions } from "../support/send-file";
import { startStack, type Stack } from "../support/stack";
import { WebClient } from "../support/web-client";

let postgres: PostgresServer;
let databaseUrl: string;
let stack: Stack;
let alice: WebClient;
let bob: WebClient;
let gina: WebClient;
let greg: WebClient;

const psql = (sql: string) => execFileSync("psql", [databaseUrl, "-At", "-c", sql], { encoding: "utf8" }).trim();
const userId = (email: string) => psql(`SELECT id FROM users WHERE email = '${email}'`);

before(async () => {
  postgres = await startPostgres();
  databaseUrl = postgres.createDatabase("access");
  // Small parts, so that a few MiB make a file of several parts, as large files are.
  stack = await startStack({ databaseUrl, configure: (config) => void (config.uploads = { partBytes: 1024 * 1024 }) });
  [alice, bob, gina, greg] = await Promise.all([
    WebClient.signedIn(stack.appUrl, "alice@acme.example"),
    WebClient.signedIn(stack.appUrl, "bob@globex.example"),
    WebClient.signedIn(stack.appUrl, "gina@globex.example"),
    WebClient.signedIn(stack.appUrl, "greg@globex.example"),
  ]);
});

after(async () => {
  await stack?.stop();
  await postgres?.stop();
});

const send = (content: Buffer, options: SendOptions = {}) => sendFile(alice, content, { fileName: "audience.bin", ...options });

async function createLink(exchangeId: string, options: Record<string, unknown> = {}): Promise<string> {
  const response = await alice.fetch(`/api/exchanges/${exchangeId}/links`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(options) });
  const body = (await response.json()) as { token: string };
  assert.equal(response.status, 201, JSON.stringify(body));
  return body.token;
}

/** Status, bytes received and whether the body arrived whole (a cut connection rejects the body read). */
async function download(client: WebClient, path: string, headers: Record<string, string> = {}) {
  const response = await client.fetch(path, { headers });
  try {
    const body = Buffer.from(await response.arrayBuffer());
    return { status: response.status, body, whole: true, headers: response.headers };
  } catch {
    return { status: response.status, body: Buffer.alloc(0), whole: false, headers: response.headers };
  }
}

const inboxPath = (id: string) => `/api/exchanges/${id}/content`;
const linkPath = (token: string) => `/api/links/${token}/content`;
const auditReasons = (id: string, action: string) => psql(`SELECT coalesce(string_agg(coalesce(details->>'reason', reason), ',' ORDER BY seq), '') FROM audit_events WHERE action = '${action}' AND target_id = '${id}'`);

test("an exchange for Bob only, once: a link cannot widen it, and the limit holds on the Inbox route and the link together", async () => {
  const content = randomBytes(200_000);
  const sent = await send(content, { recipientUserIds: [userId("bob@globex.example")], maxDownloads: 1 });

  assert.equal((await download(gina, inboxPath(sent.exchangeId))).status, 404, "Gina is told it does not exist on the Inbox route");
  assert.equal((await gina.fetch(`/exchanges/${sent.exchangeId}`)).status, 404, "nor on its page");
  const inbox = await (await gina.fetch("/inbox")).text();
  assert.ok(!inbox.includes(sent.exchangeId), "nor in her Inbox");
  const refused = await alice.fetch(`/api/exchanges/${sent.exchangeId}/links`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ recipientUserIds: [userId("gina@globex.example")] }),
  });
  assert.equal(refused.status, 400, "a link for someone the file was not sent to is refused");
  const everyoneLink = await createLink(sent.exchangeId);
  assert.equal((await download(gina, linkPath(everyoneLink))).status, 404, "a link 'for everyone' on a Bob-only exchange still does not reach Gina");
  assert.equal((await greg.fetch(`/exchanges/${sent.exchangeId}`)).status, 200, "the recipient organization's auditor still oversees it");

  const first = await download(bob, inboxPath(sent.exchangeId));
  assert.equal(first.status, 200);
  assert.equal(first.headers.get("accept-ranges"), "none", "a limited exchange is sent whole");
  assert.equal(sha256(first.body), sent.sha256);
  assert.equal(first.headers.get("x-keybridge-sha256"), sent.sha256);
  const again = await download(bob, linkPath(everyoneLink));
  assert.equal(again.status, 410, "the one download is used up, whichever route comes next");
  assert.equal(JSON.parse(again.body.toString()).error.code, "downloads_used_up");
  assert.equal((await download(bob, inboxPath(sent.exchangeId))).status, 410);
  assert.equal(psql(`SELECT count(*) FROM audit_events WHERE action = 'download.completed' AND target_id = '${sent.exchangeId}'`), "1");
});

test("a link's own limit and the exchange's count together, and 100 racing downloads on both routes give exactly the limit", async () => {
  const content = randomBytes(50_000);
  const sent = await send(content, { maxDownloads: 3 });
  const link = await createLink(sent.exchangeId, { maxDownloads: 2 });
  const results = await Promise.all(Array.from({ length: 100 }, (_, index) => download(index % 2 === 0 ? bob : gina, index % 4 < 2 ? linkPath(link) : inboxPath(sent.exchangeId))));
  const completed = results.filter((result) => result.status === 200 && result.whole && sha256(result.body) === sent.sha256);
  assert.equal(completed.length, 3, `statuses: ${JSON.stringify(results.map((result) => result.status))}`);
  // 429: one person opening the same link 25 times at once also runs into the link-guess budget (counted before the token is looked up).
  assert.ok(results.every((result) => [200, 410, 429].includes(result.status)), "every other request is refused");
  assert.equal(psql(`SELECT completed_downloads || '/' || downloads_in_flight FROM exchanges WHERE id = '${sent.exchangeId}'`), "3/0");
  assert.ok(Number(psql(`SELECT completed_downloads FROM share_links WHERE exchange_id = '${sent.exchangeId}'`)) <= 2, "the link gave at most its own two");
});

for (const [field, rewrite] of [
  ["size", (id: string) => `UPDATE exchanges SET size = size - 1000, declared_size = declared_size - 1000 WHERE id = '${id}'`],
  ["SHA-256", (id: string) => `UPDATE exchanges SET sha256 = '${"0".repeat(64)}' WHERE id = '${id}'`],
  ["sender's name", (id: string) => `UPDATE exchanges SET sender_display_name = 'The CEO' WHERE id = '${id}'`],
  ["audience", (id: string) => `UPDATE exchanges SET recipient_user_ids = NULL WHERE id = '${id}'`],
] as const) {
  test(`a database writer who changes the ${field} gets the download refused before its first byte, audited`, async () => {
    const content = randomBytes(100_000);
    const sent = await send(content, field === "audience" ? { recipientUserIds: [userId("bob@globex.example")] } : {});
    psql(rewrite(sent.exchangeId));
    const refused = await download(bob, inboxPath(sent.exchangeId));
    assert.equal(refused.status, 502, refused.body.toString());
    assert.equal(JSON.parse(refused.body.toString()).error.code, "integrity_failure");
    assert.notEqual(sha256(refused.body), sent.sha256);
    assert.match(auditReasons(sent.exchangeId, "download.failed"), /_mismatch/);
    const page = await (await bob.fetch(`/exchanges/${sent.exchangeId}`)).text();
    assert.ok(!page.includes("The CEO"), "the page shows no forged name");
    assert.ok(page.includes("does not match what the sender sealed"), "the page says the record was altered");
  });
}

test("a whole-file digest that differs from the parts' plaintext ends the download short, and says why", async () => {
  const content = randomBytes(3 * 1024 * 1024 + 5);
  const sent = await send(content, { declaredSha256: createHash("sha256").update("something else").digest("hex") });
  const result = await download(bob, inboxPath(sent.exchangeId));
  assert.equal(result.status, 200, "the headers went out: the parts themselves verified");
  assert.equal(result.whole, false, "the body never completes");
  assert.ok(result.body.length < content.length);
  const reason = await (async () => {
    for (let tries = 0; tries < 50; tries += 1) {
      const found = auditReasons(sent.exchangeId, "download.failed");
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return "";
  })();
  assert.equal(reason, "file_digest_mismatch");
  assert.doesNotMatch(stack.appOutput(), /uncaughtException/);
});

test("link downloads resume with Range and If-Range, byte for byte", async () => {
  const content = randomBytes(2 * 1024 * 1024 + 333);
  const sent = await send(content);
  const token = await createLink(sent.exchangeId);
  const full = await download(bob, linkPath(token));
  assert.equal(full.headers.get("accept-ranges"), "bytes");
  const etag = full.headers.get("etag") ?? "";
  assert.ok(etag);
  const tail = await download(bob, linkPath(token), { range: "bytes=1000000-", "if-range": etag });
  assert.equal(tail.status, 206);
  assert.equal(tail.headers.get("content-range"), `bytes 1000000-${content.length - 1}/${content.length}`);
  assert.ok(tail.body.equals(content.subarray(1_000_000)));
  const middle = await download(bob, linkPath(token), { range: "bytes=5-9" });
  assert.ok(middle.body.equals(content.subarray(5, 10)));
  const stale = await download(bob, linkPath(token), { range: "bytes=5-9", "if-range": '"another"' });
  assert.equal(stale.status, 200, "a changed entity tag sends the whole file");
  assert.ok(stale.body.equals(content));
});

test("a manifest altered at rest is an integrity failure (502), never a 500, and crashes nothing", async () => {
  const content = randomBytes(2 * 1024 * 1024 + 1);
  const sent = await send(content);
  const manifestPath = join(stack.dataDir, "blobs", psql(`SELECT blob_key FROM exchanges WHERE id = '${sent.exchangeId}'`));
  const original = readFileSync(manifestPath);
  const manifest = Buffer.from(original);
  manifest.writeUInt8(manifest.readUInt8(manifest.length - 40) ^ 0x01, manifest.length - 40);
  writeFileSync(manifestPath, manifest);
  const refused = await download(bob, inboxPath(sent.exchangeId));
  assert.equal(refused.status, 502, refused.body.toString());
  assert.equal(JSON.parse(refused.body.toString()).error.code, "integrity_failure");
  assert.equal(auditReasons(sent.exchangeId, "download.failed"), "manifest_unreadable");
  writeFileSync(manifestPath, original);
  const partPath = join(stack.dataDir, "blobs", psql(`SELECT blob_key FROM upload_parts WHERE exchange_id = '${sent.exchangeId}' AND part_number = 1`));
  writeFileSync(partPath, Buffer.alloc(10));
  assert.equal((await download(bob, inboxPath(sent.exchangeId))).status, 502, "a damaged first part releases nothing");
  assert.match(auditReasons(sent.exchangeId, "download.failed"), /manifest_unreadable,ciphertext_digest_mismatch$/);
  assert.doesNotMatch(stack.appOutput(), /uncaughtException|unhandledRejection/);
});
