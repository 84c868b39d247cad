import type { Database } from "../../lib/db";
import { migrate } from "../../lib/db/migrate";
import { openPgliteDatabase } from "../../lib/db/pglite-database";

/** A migrated PGlite database at `path` holding the two organizations the unit tests exchange between: acme and globex. */
export async function openTwoOrganizationDatabase(path: string): Promise<Database> {
  const db = await openPgliteDatabase(path);
  await migrate(db);
  await db.query("INSERT INTO organizations (slug, display_name) VALUES ('acme', 'Acme'), ('globex', 'Globex')");
  return db;
}
