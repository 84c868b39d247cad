import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Database } from "../db";
import { openLocalDiskStore } from "../storage/local-disk-store";
import { sweepStaleUploads } from "./sweep-stale-uploads";
import { openTwoOrganizationDatabase } from "../../test/support/pglite-database";

const dir = mkdtempSync(join(tmpdir(), "kb-sweep-"));
let db: Database;

before(async () => {
  db = await openTwoOrganizationDatabase(join(dir, "db"));
});

after(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function exchange(status: string, createdAt: Date): Promise<string> {
  const id = randomUUID();
  const complete = status === "available";
  await db.query(
    `INSERT INTO exchanges (id, sender_org, sender_display_name, recipient_org, status, metadata_ciphertext, declared_size, size, sha256, blob_key, created_at, completed_at)
     VALUES ($1, 'acme', 'Alice', 'globex', $2, '\\x00', 1, $3, $4, $5, $6, $7)`,
    [id, status, complete ? 1 : null, complete ? "0".repeat(64) : null, complete ? id.replace(/-/g, "").padEnd(40, "0") : null, createdAt, complete ? createdAt : null],
  );
  return id;
}

test("stale unfinished uploads and abandoned blob files go; recent ones and finished exchanges stay", async () => {
  const store = await openLocalDiskStore(join(dir, "blobs"));
  const now = Date.now();
  const old = new Date(now - 2 * 86_400_000);
  const staleUploading = await exchange("uploading", old);
  const staleReceiving = await exchange("receiving", old);
  const freshUploading = await exchange("uploading", new Date(now));
  const finished = await exchange("available", old);

  const abandoned = await store.createWriter();
  abandoned.stream.end("half a file");
  await new Promise((resolve) => abandoned.stream.once("close", resolve));
  const [abandonedName] = readdirSync(join(dir, "blobs", ".incoming"));
  utimesSync(join(dir, "blobs", ".incoming", abandonedName as string), old, old);
  const inFlight = await store.createWriter();

  const result = await sweepStaleUploads(db, store, new Date(now - 86_400_000));
  assert.deepEqual(result, { exchanges: 2, blobs: 1 });
  const left = (await db.query<{ id: string }>("SELECT id FROM exchanges ORDER BY id")).map((row) => row.id).sort();
  assert.deepEqual(left, [freshUploading, finished].sort());
  assert.ok(!left.includes(staleUploading) && !left.includes(staleReceiving));
  const audited = await db.query<{ target_id: string; reason: string }>("SELECT target_id, reason FROM audit_events WHERE action = 'upload.failed' ORDER BY seq");
  assert.deepEqual(audited.map((row) => row.target_id).sort(), [staleUploading, staleReceiving].sort());
  assert.equal(readdirSync(join(dir, "blobs", ".incoming")).length, 1);
  await inFlight.abort();
});

test("a parted upload stays while parts keep arriving; once idle past the age, it goes with every part's blob", async () => {
  const store = await openLocalDiskStore(join(dir, "blobs-parted"));
  const now = Date.now();
  const old = new Date(now - 2 * 86_400_000);
  const storePart = async (exchangeId: string, partNumber: number, storedAt: Date) => {
    const writer = await store.createWriter();
    writer.stream.end("ciphertext of a part");
    const key = await writer.commit();
    await db.query(
      `INSERT INTO upload_parts (exchange_id, part_number, blob_key, plaintext_bytes, plaintext_sha256, ciphertext_bytes, ciphertext_sha256, stored_at)
       VALUES ($1, $2, $3, 4, $4, 20, $4, $5)`,
      [exchangeId, partNumber, key, "0".repeat(64), storedAt],
    );
    return key;
  };
  const stillSending = await exchange("uploading", old);
  await storePart(stillSending, 1, old);
  const keptKey = await storePart(stillSending, 2, new Date(now));
  const idle = await exchange("uploading", old);
  const idleKeys = [await storePart(idle, 1, old), await storePart(idle, 2, old)];

  const result = await sweepStaleUploads(db, store, new Date(now - 86_400_000));
  assert.equal(result.exchanges, 1);
  assert.equal(result.blobs, 2);
  const remaining = (await db.query<{ id: string }>("SELECT id FROM exchanges WHERE id = ANY($1)", [[stillSending, idle]])).map((row) => row.id);
  assert.deepEqual(remaining, [stillSending]);
  assert.deepEqual(await db.query("SELECT * FROM upload_parts WHERE exchange_id = $1", [idle]), []);
  for (const key of idleKeys) await assert.rejects(store.size(key));
  assert.equal(await store.size(keptKey), 20);
});
