import "server-only";
import { join } from "node:path";
import { getConfig } from "../config";
import { processSingleton } from "../process-singleton";
import type { Database } from "./database";
import { migrate } from "./migrate";
import { openPgliteDatabase } from "./pglite-database";
import { openPostgresDatabase } from "./postgres-database";

export type { Database, Queryable, Row, Transaction } from "./database";

/** The process-wide database, migrated on first use: PostgreSQL when DATABASE_URL is set, else embedded PGlite under the data dir. */
export function getDatabase(): Promise<Database> {
  return processSingleton("database", async () => {
    const config = getConfig();
    const db = config.databaseUrl ? await openPostgresDatabase(config.databaseUrl) : await openPgliteDatabase(join(config.dataDir, "db"));
    await migrate(db);
    return db;
  });
}
