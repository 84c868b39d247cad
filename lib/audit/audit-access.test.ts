import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Database } from "../db";
import { migrate } from "../db/migrate";
import { openPgliteDatabase } from "../db/pglite-database";
import { auditScopeOf, mayCrossCheckKms, mayViewAuditEvent, type AuditEventParties, type AuditViewer } from "./audit-access";
import { listAuditEvents } from "./query-events";
import { recordAuditEvent } from "./record";

const ALICE = "00000000-0000-4000-8000-00000000a11c";
const viewers: Record<string, AuditViewer> = {
  alice: { userId: ALICE, orgSlug: "acme", role: "member" },
  adam: { userId: "00000000-0000-4000-8000-0000000000ad", orgSlug: "acme", role: "admin" },
  aria: { userId: "00000000-0000-4000-8000-0000000000a1", orgSlug: "acme", role: "auditor" },
  bob: { userId: "00000000-0000-4000-8000-000000000b0b", orgSlug: "globex", role: "member" },
  greg: { userId: "00000000-0000-4000-8000-000000000612", orgSlug: "globex", role: "auditor" },
  ivan: { userId: "00000000-0000-4000-8000-000000000111", orgSlug: "initech", role: "member" },
  irene: { userId: "00000000-0000-4000-8000-000000000112", orgSlug: "initech", role: "admin" },
};

const events: Record<string, AuditEventParties> = {
  aliceUploadToGlobex: { actorUserId: ALICE, actorOrg: "acme", partyOrgs: ["acme", "globex"] },
  bobDownload: { actorUserId: viewers.bob!.userId, actorOrg: "globex", partyOrgs: ["acme", "globex"] },
  aliceSignIn: { actorUserId: ALICE, actorOrg: "acme", partyOrgs: [] },
  unknownSignIn: { actorUserId: null, actorOrg: null, partyOrgs: [] },
  sweepOfAcmeUpload: { actorUserId: null, actorOrg: null, partyOrgs: ["acme", "globex"] },
  acmeToInitech: { actorUserId: ALICE, actorOrg: "acme", partyOrgs: ["acme", "initech"] },
  ivanSignIn: { actorUserId: viewers.ivan!.userId, actorOrg: "initech", partyOrgs: [] },
};

// [viewer, event, visible]
const cases: Array<[string, string, boolean]> = [
  ["alice", "aliceUploadToGlobex", true],
  ["alice", "bobDownload", false],
  ["alice", "aliceSignIn", true],
  ["alice", "sweepOfAcmeUpload", false],
  ["adam", "aliceUploadToGlobex", true],
  ["adam", "bobDownload", true],
  ["adam", "sweepOfAcmeUpload", true],
  ["adam", "unknownSignIn", false],
  ["aria", "bobDownload", true],
  ["aria", "aliceSignIn", true],
  ["aria", "ivanSignIn", false],
  ["bob", "bobDownload", true],
  ["bob", "aliceUploadToGlobex", false],
  ["greg", "aliceUploadToGlobex", true],
  ["greg", "bobDownload", true],
  ["greg", "aliceSignIn", false],
  ["greg", "acmeToInitech", false],
  ["ivan", "acmeToInitech", false],
  ["irene", "acmeToInitech", true],
  ["irene", "aliceUploadToGlobex", false],
  ["irene", "ivanSignIn", true],
];

for (const [viewer, event, visible] of cases) {
  test(`audit access: ${viewer} ${visible ? "sees" : "does not see"} ${event}`, () => {
    assert.equal(mayViewAuditEvent(auditScopeOf(viewers[viewer]!), events[event]!), visible);
  });
}

test("only admins and auditors may cross-check the key service", () => {
  assert.deepEqual(
    Object.entries(viewers).map(([name, viewer]) => [name, mayCrossCheckKms(auditScopeOf(viewer))]),
    [["alice", false], ["adam", true], ["aria", true], ["bob", false], ["greg", true], ["ivan", false], ["irene", true]],
  );
});

// The SQL scope must say exactly what the function says: every viewer's query returns the events the table allows.
let db: Database;
const dir = mkdtempSync(join(tmpdir(), "kb-audit-access-"));
before(async () => {
  db = await openPgliteDatabase(dir);
  await migrate(db);
  for (const [name, event] of Object.entries(events)) {
    await db.transaction((tx) =>
      recordAuditEvent(tx, {
        action: "upload.completed",
        outcome: "success",
        actor: { userId: event.actorUserId, displayName: name, org: event.actorOrg, role: null },
        partyOrgs: [...event.partyOrgs],
      }),
    );
  }
});
after(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

for (const [name, viewer] of Object.entries(viewers)) {
  test(`the SQL scope of ${name} returns exactly the events mayViewAuditEvent allows`, async () => {
    const scope = auditScopeOf(viewer);
    const page = await listAuditEvents(db, { scope, filters: {} }, 100);
    const expected = Object.entries(events).filter(([, event]) => mayViewAuditEvent(scope, event)).map(([eventName]) => eventName).sort();
    assert.deepEqual(page.events.map((event) => event.actorName).sort(), expected);
  });
}

test("keyset pages walk every visible event once, newest first, however small the page", async () => {
  const { auditEventPages } = await import("./query-events");
  const scope = auditScopeOf(viewers.adam!);
  const seen: number[] = [];
  for await (const page of auditEventPages(db, { scope, filters: {} }, 2)) seen.push(...page.map((event) => event.seq));
  const all = (await listAuditEvents(db, { scope, filters: {} }, 100)).events.map((event) => event.seq);
  assert.deepEqual(seen, all);
  assert.deepEqual([...seen].sort((a, b) => b - a), seen);
});
