import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Database } from "../db";
import { sweepStaleUploads } from "../exchanges/sweep-stale-uploads";
import { openLocalDiskStore } from "../storage/local-disk-store";
import { openTwoOrganizationDatabase } from "../../test/support/pglite-database";

// An action whose audit event cannot be written must not happen: the event is written in the same transaction.
const dir = mkdtempSync(join(tmpdir(), "kb-audit-rollback-"));
let db: Database;

before(async () => {
  db = await openTwoOrganizationDatabase(join(dir, "db"));
});

after(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function staleExchange(): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO exchanges (id, sender_org, sender_display_name, recipient_org, status, metadata_ciphertext, declared_size, created_at)
     VALUES ($1, 'acme', 'Alice', 'globex', 'uploading', '\\x00', 1, now() - interval '2 days')`,
    [id],
  );
  return id;
}

test("removing a stale upload is rolled back when its audit event cannot be written", async () => {
  const id = await staleExchange();
  await db.exec(`
    CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit store unavailable'; END $$;
    CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION refuse_audit();
  `);
  const store = await openLocalDiskStore(join(dir, "blobs"));
  await assert.rejects(sweepStaleUploads(db, store, new Date(Date.now() - 86_400_000)), /audit store unavailable/);
  assert.equal((await db.query("SELECT id FROM exchanges WHERE id = $1", [id])).length, 1, "the exchange must still be there");
  assert.deepEqual(await db.query("SELECT seq FROM audit_chain_head"), [{ seq: 0 }]);

  await db.exec("DROP TRIGGER refuse_audit ON audit_events;");
  assert.deepEqual(await sweepStaleUploads(db, store, new Date(Date.now() - 86_400_000)), { exchanges: 1, blobs: 0 });
  assert.equal((await db.query("SELECT id FROM exchanges WHERE id = $1", [id])).length, 0);
  assert.equal((await db.query("SELECT seq FROM audit_events WHERE target_id = $1", [id])).length, 1);
});
