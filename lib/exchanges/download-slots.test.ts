import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Actor } from "../auth";
import type { Database } from "../db";
import { migrate } from "../db/migrate";
import { openPgliteDatabase } from "../db/pglite-database";
import { finishDownload, LinkUnusableError, releaseStaleDownloads, reserveDownload, STALE_RESERVATION_SECONDS } from "./download-slots";

const dir = mkdtempSync(join(tmpdir(), "kb-slots-"));
let db: Database;
let exchangeId: string;
const actor: Actor = {
  userId: randomUUID(),
  email: "bob@globex.example",
  displayName: "Bob",
  orgSlug: "globex",
  role: "member",
  sessionId: "s",
  mfaVerifiedAt: new Date(),
  clientAddress: "192.0.2.1",
  userAgent: null,
};

before(async () => {
  db = await openPgliteDatabase(join(dir, "db"));
  await migrate(db);
  await db.query("INSERT INTO organizations (slug, display_name) VALUES ('acme', 'Acme'), ('globex', 'Globex')");
  exchangeId = randomUUID();
  await db.query(
    `INSERT INTO exchanges (id, sender_org, sender_display_name, recipient_org, status, metadata_ciphertext, declared_size, size, sha256, blob_key, completed_at)
     VALUES ($1, 'acme', 'Alice', 'globex', 'available', '\\x00', 1, 1, $2, $3, now())`,
    [exchangeId, "0".repeat(64), exchangeId.replace(/-/g, "")],
  );
});

after(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function link(options: { maxDownloads?: number; expiresInMs?: number; revoked?: boolean } = {}): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO share_links (id, exchange_id, token_hash, expires_at, max_downloads, whole_org, revoked_at)
     VALUES ($1, $2, $3, $4, $5, true, $6)`,
    [id, exchangeId, Buffer.from(id.replace(/-/g, ""), "hex"), new Date(Date.now() + (options.expiresInMs ?? 3_600_000)), options.maxDownloads ?? null, options.revoked ? new Date() : null],
  );
  return id;
}

async function counts(linkId: string) {
  const [row] = await db.query<{ completed_downloads: number; in_flight: number }>("SELECT completed_downloads, in_flight FROM share_links WHERE id = $1", [linkId]);
  return row;
}

async function exchangeCounts() {
  const [row] = await db.query<{ completed_downloads: number; downloads_in_flight: number }>("SELECT completed_downloads, downloads_in_flight FROM exchanges WHERE id = $1", [exchangeId]);
  return row;
}

/** A reservation's id, or the refusal's class name: what a caller gets either way. */
const reserve = (linkId: string | null) =>
  db.transaction((tx) => reserveDownload(tx, exchangeId, linkId, actor)).then(
    (id) => id,
    (error: unknown) => (error instanceof LinkUnusableError ? "link_unusable" : error instanceof Error ? (error.message.split(":")[0] ?? "?") : "?"),
  );
const granted = (results: string[]) => results.filter((result) => /^[0-9a-f-]{36}$/.test(result));

test("link reservations stop at the link's limit; only completed downloads count, failed ones give the slot back", async () => {
  const linkId = await link({ maxDownloads: 2 });
  const reservations = granted(await Promise.all(Array.from({ length: 5 }, () => reserve(linkId))));
  assert.equal(reservations.length, 2);
  await db.transaction((tx) => finishDownload(tx, reservations[0] as string, false));
  assert.deepEqual(await counts(linkId), { completed_downloads: 0, in_flight: 1 });
  await db.transaction((tx) => finishDownload(tx, reservations[1] as string, true));
  await db.transaction((tx) => finishDownload(tx, reservations[1] as string, true));
  assert.deepEqual(await counts(linkId), { completed_downloads: 1, in_flight: 0 }, "finishing twice counts once");
  assert.equal(granted([await reserve(linkId)]).length, 1, "the failed download's slot is free again");
  assert.equal(await reserve(linkId), "link_unusable");
});

test("revoked and expired links give no slot, and take none of the exchange's", async () => {
  const before = await exchangeCounts();
  assert.equal(await reserve(await link({ revoked: true })), "link_unusable");
  assert.equal(await reserve(await link({ expiresInMs: -1 })), "link_unusable");
  assert.deepEqual(await exchangeCounts(), before, "the refused link rolled back the exchange's reservation");
});

test("the exchange's own limit holds whichever route a download takes", async () => {
  await db.query("UPDATE exchanges SET max_downloads = completed_downloads + downloads_in_flight + 2 WHERE id = $1", [exchangeId]);
  const viaLink = await link();
  const results = await Promise.all([...Array.from({ length: 5 }, () => reserve(viaLink)), ...Array.from({ length: 5 }, () => reserve(null))]);
  assert.equal(granted(results).length, 2, "two slots in all, across the Inbox route and the link");
  assert.ok(results.filter((result) => !granted([result]).length).every((result) => result === "downloads_used_up"));
  for (const id of granted(results)) await db.transaction((tx) => finishDownload(tx, id, true));
  assert.equal(await reserve(null), "downloads_used_up");
  await db.query("UPDATE exchanges SET max_downloads = NULL WHERE id = $1", [exchangeId]);
});

test("a reservation whose server died (no heartbeat) is released; a live one is not", async () => {
  const linkId = await link({ maxDownloads: 2 });
  const dead = (await reserve(linkId));
  const live = (await reserve(linkId));
  await db.query("UPDATE exchange_downloads SET heartbeat_at = now() - make_interval(secs => $2) WHERE id = $1", [dead, STALE_RESERVATION_SECONDS + 1]);
  assert.equal(await db.transaction((tx) => releaseStaleDownloads(tx, exchangeId)), 1);
  assert.deepEqual(await counts(linkId), { completed_downloads: 0, in_flight: 1 });
  const [state] = await db.query<{ state: string }>("SELECT state FROM exchange_downloads WHERE id = $1", [dead]);
  assert.equal(state?.state, "abandoned");
  await db.transaction((tx) => finishDownload(tx, live, true));
  await db.transaction((tx) => finishDownload(tx, dead, true));
  assert.deepEqual(await counts(linkId), { completed_downloads: 1, in_flight: 0 }, "a released reservation cannot count later");
});
