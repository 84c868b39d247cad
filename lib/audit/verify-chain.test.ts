import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, test } from "node:test";
import type { Database } from "../db";
import { migrate } from "../db/migrate";
import { openPgliteDatabase } from "../db/pglite-database";
import { recordAuditEvent, type AuditEventInput } from "./record";
import { verifyAuditChain } from "./verify-chain";

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
  await db.exec("DELETE FROM audit_events; UPDATE audit_chain_head SET seq = 0, hash = repeat('0', 64);");
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
