import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { z } from "zod";
import { isAppError } from "../errors/app-error";
import type { Database } from "./database";
import { databaseFailure } from "./database-errors";
import { openPgliteDatabase } from "./pglite-database";

const dir = mkdtempSync(join(tmpdir(), "keybridge-rows-"));
let db: Database;

before(async () => {
  db = await openPgliteDatabase(dir);
});

after(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

test("rows that match their schema come back parsed, with what the schema does not name left out", async () => {
  const rows = await db.queryRows(z.object({ id: z.number(), at: z.date() }), "SELECT 7::int8 AS id, now() AS at, 'extra' AS other");
  assert.equal(rows[0]?.id, 7);
  assert.ok(rows[0]?.at instanceof Date);
  assert.equal("other" in (rows[0] ?? {}), false);
});

test("a row of another shape is an internal error naming the field, not a wrongly typed value", async () => {
  await assert.rejects(db.queryRows(z.object({ size: z.number().int().nonnegative() }), "SELECT -1 AS size"), (error: unknown) => {
    assert.ok(isAppError(error));
    assert.equal(error.code, "internal");
    assert.match(error.internal ?? "", /size: /);
    return true;
  });
});

test("a driver failure is translated: a statement error is internal, with its SQLSTATE kept internally", async () => {
  await assert.rejects(db.query("SELECT * FROM no_such_table"), (error: unknown) => isAppError(error) && error.code === "internal" && /42P01/.test(error.internal ?? ""));
});

test("failures that mean 'not now' (connection, resources, serialization, shutdown) are database_unavailable and retryable", () => {
  for (const code of ["40001", "40P01", "08006", "53300", "57P01", "ECONNREFUSED"]) {
    const failure = databaseFailure(Object.assign(new Error("driver says no"), { code }));
    assert.equal(failure.code, "database_unavailable", code);
    assert.equal(failure.retryable, true);
  }
  assert.equal(databaseFailure(Object.assign(new Error("syntax"), { code: "42601" })).code, "internal");
});
