import "server-only";
import { mkdirSync } from "node:fs";
import { PGlite, types } from "@electric-sql/pglite";
import type { Database, Queryable } from "./database";
import { asTransaction, databaseCall, translatedQueryable } from "./database-errors";

// int8 as JS numbers (sizes and sequence numbers stay far below 2^53), the same choice the pg driver is given.
const parsers = { [types.INT8]: (value: string) => Number(value) };

export async function openPgliteDatabase(dataDir: string): Promise<Database> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = await databaseCall(() => PGlite.create(dataDir, { parsers }));
  const wrap = (runner: Pick<PGlite, "query" | "exec">): Queryable =>
    translatedQueryable({
      query: async <T extends object>(sql: string, params: unknown[]) => (await runner.query<T>(sql, params)).rows,
      exec: async (sql: string) => {
        await runner.exec(sql);
      },
    });
  return {
    ...wrap(db),
    transaction: (work) => databaseCall(() => db.transaction((tx) => work(asTransaction(wrap(tx))))),
    close: () => db.close(),
  };
}
