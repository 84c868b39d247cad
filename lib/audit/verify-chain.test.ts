import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, test } from "node:test";
import type { Database } from "../db";
import { migrate } from "../db/migrate";
import { openPgliteDatabase } from "../db/pglite-database";
import type { AuditEventRow } from "./audit-event-view";
import { auditCheckpointKey, checkpointMac } from "./checkpoints";
import { recordAuditEvent, type AuditEventInput } from "./record";
import { recomputedHash, verifyAuditChain } from "./verify-chain";

let db: Database;
const dir = mkdtempSync(join(tmpdir(), "kb-audit-"));

before(async () => {
  db = await openPgliteDatabase(dir);
  await migrate(db);
});

after(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const event = (n: number): AuditEventInput => ({
  action: "upload.completed",
  outcome: "success",
  actor: { userId: "00000000-0000-4000-8000-000000000001", displayName: "Alice", org: "acme", role: "member" },
  target: { type: "exchange", id: `exchange-${n}` },
  partyOrgs: ["acme", "globex"],
  client: { address: "127.0.0.1", userAgent: "test" },
  aws: { requestIds: [`req-${n}`], roleSessionArn: "arn:aws:sts::111111111111:assumed-role/r/alice" },
  details: { bytes: n },
});

beforeEach(async () => {
  await db.exec("DELETE FROM audit_events; DELETE FROM audit_checkpoints; UPDATE audit_chain_head SET seq = 0, hash = repeat('0', 64);");
  for (let n = 1; n <= 6; n += 1) await db.transaction((tx) => recordAuditEvent(tx, event(n)));
});

test("an untouched chain verifies", async () => {
  assert.deepEqual(await verifyAuditChain(db), { ok: true, checked: 6 });
});

const tampering: Array<[string, string, { seq: number; problem: string }]> = [
  ["an edited field", "UPDATE audit_events SET outcome = 'denied' WHERE seq = 3", { seq: 3, problem: "hash_mismatch" }],
  ["an edited detail", `UPDATE audit_events SET details = '{"bytes": 99}' WHERE seq = 4`, { seq: 4, problem: "hash_mismatch" }],
  ["an edit with its hash recomputed by hand", "UPDATE audit_events SET hash = repeat('a', 64) WHERE seq = 2", { seq: 2, problem: "hash_mismatch" }],
  ["a deleted middle event", "DELETE FROM audit_events WHERE seq = 3", { seq: 3, problem: "missing_event" }],
  ["a deleted last event", "DELETE FROM audit_events WHERE seq = 6", { seq: 6, problem: "missing_event" }],
  ["two events swapped", "UPDATE audit_events SET seq = -1 WHERE seq = 2; UPDATE audit_events SET seq = 2 WHERE seq = 3; UPDATE audit_events SET seq = 3 WHERE seq = -1", { seq: 2, problem: "broken_link" }],
];

for (const [name, sql, firstBad] of tampering) {
  test(`${name} is caught and the first bad event named`, async () => {
    await db.exec(sql);
    const result = await verifyAuditChain(db);
    assert.equal(result.ok, false);
    assert.deepEqual(result.firstBad, firstBad);
  });
}

// Signed checkpoints: someone with write access to the database but not the server key.
const key = auditCheckpointKey("0123456789abcdef0123456789abcdef-test-secret");
const otherKey = auditCheckpointKey("another-server-secret-of-32-characters!!");

/** Rewrites event `seq` and recomputes every later hash and the head, as a careful forger would. */
async function rewriteChainFrom(seq: number, edit: string): Promise<void> {
  await db.exec(edit);
  const rows = await db.query<AuditEventRow>("SELECT * FROM audit_events WHERE seq >= $1 ORDER BY seq", [seq]);
  let [previous] = await db.query<{ hash: string }>("SELECT hash FROM audit_events WHERE seq = $1", [seq - 1]);
  for (const row of rows) {
    const prevHash = previous?.hash ?? "0".repeat(64);
    const hash = recomputedHash(row, prevHash);
    await db.query("UPDATE audit_events SET prev_hash = $2, hash = $3 WHERE seq = $1", [row.seq, prevHash, hash]);
    previous = { hash };
  }
  await db.query("UPDATE audit_chain_head SET hash = $1", [previous?.hash]);
}

test("a verified chain signs a checkpoint, and the incremental check starts after it", async () => {
  assert.deepEqual(await verifyAuditChain(db, { checkpointKey: key, signCheckpoint: true }), { ok: true, checked: 6 });
  assert.deepEqual(await db.query("SELECT seq FROM audit_checkpoints"), [{ seq: 6 }]);
  for (let n = 7; n <= 9; n += 1) await db.transaction((tx) => recordAuditEvent(tx, event(n)));
  assert.deepEqual(await verifyAuditChain(db, { checkpointKey: key, incremental: true }), { ok: true, checked: 3 });
});

test("without checkpoints a fully recomputed chain passes, which is why checkpoints exist", async () => {
  await rewriteChainFrom(3, "UPDATE audit_events SET outcome = 'denied' WHERE seq = 3");
  assert.equal((await verifyAuditChain(db, { checkpointKey: key })).ok, true);
});

const checkpointTampering: Array<[string, () => Promise<void>, { seq: number; problem: string }, boolean]> = [
  ["an edit with every later hash and the head recomputed", () => rewriteChainFrom(3, "UPDATE audit_events SET outcome = 'denied' WHERE seq = 3"), { seq: 6, problem: "checkpoint_mismatch" }, false],
  ["the same forgery, seen by the incremental check", () => rewriteChainFrom(3, "UPDATE audit_events SET outcome = 'denied' WHERE seq = 3"), { seq: 6, problem: "checkpoint_mismatch" }, true],
  ["a checkpoint re-signed with another key", async () => {
    await rewriteChainFrom(3, "UPDATE audit_events SET outcome = 'denied' WHERE seq = 3");
    const [row] = await db.query<{ hash: string }>("SELECT hash FROM audit_events WHERE seq = 6");
    await db.query("UPDATE audit_checkpoints SET hash = $1, mac = $2 WHERE seq = 6", [row?.hash, checkpointMac(otherKey, 6, row?.hash ?? "")]);
  }, { seq: 6, problem: "checkpoint_forged" }, false],
  ["the signed tail deleted and the head rewound", async () => {
    const [row] = await db.query<{ hash: string }>("SELECT hash FROM audit_events WHERE seq = 4");
    await db.exec("DELETE FROM audit_events WHERE seq > 4");
    await db.query("UPDATE audit_chain_head SET seq = 4, hash = $1", [row?.hash]);
  }, { seq: 5, problem: "missing_event" }, false],
];

for (const [name, tamper, firstBad, incremental] of checkpointTampering) {
  test(`${name} is caught by the signed checkpoint`, async () => {
    assert.equal((await verifyAuditChain(db, { checkpointKey: key, signCheckpoint: true })).ok, true);
    await tamper();
    const result = await verifyAuditChain(db, { checkpointKey: key, incremental });
    assert.equal(result.ok, false);
    assert.deepEqual(result.firstBad, firstBad);
  });
}
