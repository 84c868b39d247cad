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
import { finishSlot, releaseStaleSlots, reserveSlot, STALE_RESERVATION_SECONDS } from "./link-slots";

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

test("reservations stop at the limit; only completed downloads count, failed ones give the slot back", async () => {
  const linkId = await link({ maxDownloads: 2 });
  const reservations = await Promise.all(Array.from({ length: 5 }, () => db.transaction((tx) => reserveSlot(tx, linkId, actor))));
  const granted = reservations.filter((id): id is string => id !== null);
  assert.equal(granted.length, 2);
  await db.transaction((tx) => finishSlot(tx, granted[0] as string, false));
  assert.deepEqual(await counts(linkId), { completed_downloads: 0, in_flight: 1 });
  await db.transaction((tx) => finishSlot(tx, granted[1] as string, true));
  await db.transaction((tx) => finishSlot(tx, granted[1] as string, true));
  assert.deepEqual(await counts(linkId), { completed_downloads: 1, in_flight: 0 }, "finishing twice counts once");
  assert.ok(await db.transaction((tx) => reserveSlot(tx, linkId, actor)), "the failed download's slot is free again");
  assert.equal(await db.transaction((tx) => reserveSlot(tx, linkId, actor)), null);
});

test("revoked and expired links give no slot", async () => {
  const revoked = await link({ revoked: true });
  const expired = await link({ expiresInMs: -1 });
  assert.equal(await db.transaction((tx) => reserveSlot(tx, revoked, actor)), null);
  assert.equal(await db.transaction((tx) => reserveSlot(tx, expired, actor)), null);
});

test("a reservation whose server died (no heartbeat) is released; a live one is not", async () => {
  const linkId = await link({ maxDownloads: 2 });
  const dead = (await db.transaction((tx) => reserveSlot(tx, linkId, actor))) as string;
  const live = (await db.transaction((tx) => reserveSlot(tx, linkId, actor))) as string;
  await db.query("UPDATE share_link_downloads SET heartbeat_at = now() - make_interval(secs => $2) WHERE id = $1", [dead, STALE_RESERVATION_SECONDS + 1]);
  assert.equal(await db.transaction((tx) => releaseStaleSlots(tx, linkId)), 1);
  assert.deepEqual(await counts(linkId), { completed_downloads: 0, in_flight: 1 });
  const [state] = await db.query<{ state: string }>("SELECT state FROM share_link_downloads WHERE id = $1", [dead]);
  assert.equal(state?.state, "abandoned");
  await db.transaction((tx) => finishSlot(tx, live, true));
  await db.transaction((tx) => finishSlot(tx, dead, true));
  assert.deepEqual(await counts(linkId), { completed_downloads: 1, in_flight: 0 }, "a released reservation cannot count later");
});
