// The dashboard's SQL on PostgreSQL as well as PGlite (the other tests): one schema, one set of queries.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { after, before, test } from "node:test";
import { startPostgres, type PostgresServer } from "../../test/support/postgres";
import type { Database } from "../db";
import { migrate } from "../db/migrate";
import { openPostgresDatabase } from "../db/postgres-database";
import { queryAuditCharts } from "./audit-charts";
import { auditCheckpointKey } from "./checkpoints";
import { requestIdsKnownToApp } from "./kms-cross-check";
import { exchangeAuditEvents, listAuditEvents } from "./query-events";
import { recordAuditEvent } from "./record";
import { verifyAuditChain } from "./verify-chain";

const available = existsSync("/usr/lib/postgresql/15/bin/initdb");
let server: PostgresServer;
let db: Database;
const exchangeId = randomUUID();
const alice = { userId: randomUUID(), displayName: "Alice Anders", org: "acme", role: "member" };
const bob = { userId: randomUUID(), displayName: "Bob Brennan", org: "globex", role: "member" };

before(async () => {
  if (!available) return;
  server = await startPostgres();
  db = await openPostgresDatabase(server.createDatabase("audit"));
  await migrate(db);
  const exchange = { type: "exchange" as const, id: exchangeId };
  const partyOrgs = ["acme", "globex"];
  await db.transaction((tx) => recordAuditEvent(tx, { action: "upload.completed", outcome: "success", actor: alice, target: exchange, partyOrgs, aws: { requestIds: ["req-upload"] }, details: { bytes: 100 } }));
  await db.transaction((tx) => recordAuditEvent(tx, { action: "link.created", outcome: "success", actor: alice, target: { type: "link", id: randomUUID() }, partyOrgs, details: { exchangeId } }));
  await db.transaction((tx) => recordAuditEvent(tx, { action: "download.completed", outcome: "success", actor: bob, target: exchange, partyOrgs, details: { bytes: 100 } }));
  await db.transaction((tx) => recordAuditEvent(tx, { action: "download.denied", outcome: "denied", reason: "forbidden", actor: alice, target: exchange, partyOrgs }));
  await db.transaction((tx) => recordAuditEvent(tx, { action: "auth.sign_in", outcome: "success", actor: bob }));
});

after(async () => {
  await db?.close();
  await server?.stop();
});

const acme = { kind: "organization", orgSlug: "acme" } as const;

test("pages, filters, keyset cursors and search run on PostgreSQL", { skip: !available && "PostgreSQL 15 is not installed" }, async () => {
  const first = await listAuditEvents(db, { scope: acme, filters: {} }, 2);
  assert.deepEqual(first.events.map((event) => event.action), ["download.denied", "download.completed"]);
  const second = await listAuditEvents(db, { scope: acme, filters: { after: first.nextCursor ?? undefined } }, 10);
  assert.deepEqual(second.events.map((event) => event.action), ["link.created", "upload.completed"]);
  const denied = await listAuditEvents(db, { scope: acme, filters: { outcome: "denied", org: "globex", from: "2000-01-01", to: "2999-12-31" } });
  assert.deepEqual(denied.events.map((event) => event.reason), ["forbidden"]);
  const search = await listAuditEvents(db, { scope: acme, filters: { q: "brenn" } });
  assert.deepEqual(search.events.map((event) => event.action), ["download.completed"]);
  const byId = await listAuditEvents(db, { scope: { kind: "own", userId: bob.userId }, filters: { q: bob.userId } });
  assert.deepEqual(byId.events.map((event) => event.action), ["auth.sign_in", "download.completed"]);
  const timeline = await exchangeAuditEvents(db, acme, exchangeId);
  assert.deepEqual(timeline.map((event) => event.action), ["upload.completed", "link.created", "download.completed", "download.denied"]);
});

test("charts, the KMS request-id lookup and signed checkpoints run on PostgreSQL", { skip: !available && "PostgreSQL 15 is not installed" }, async () => {
  const today = new Date().toISOString().slice(0, 10);
  const charts = await queryAuditCharts(db, acme, today, today);
  assert.deepEqual(charts.days, [{ day: today, exchanges: 1, bytes: 100, denials: 1 }]);
  assert.deepEqual(charts.topRecipients, [{ name: "Bob Brennan", org: "globex", downloads: 1, bytes: 100 }]);
  assert.deepEqual([...(await requestIdsKnownToApp(db, ["req-upload", "req-outside"]))], ["req-upload"]);
  const key = auditCheckpointKey("a-postgres-test-secret-of-32-characters");
  assert.deepEqual(await verifyAuditChain(db, { checkpointKey: key, signCheckpoint: true }), { ok: true, checked: 5 });
  assert.deepEqual(await verifyAuditChain(db, { checkpointKey: key, incremental: true }), { ok: true, checked: 0 });
});
