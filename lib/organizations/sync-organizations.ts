import "server-only";
import { getConfig } from "../config";
import { getDatabase } from "../db";

/** Organizations are configured (each with its own AWS role); the table mirrors the config for references and names. */
export async function syncOrganizations(): Promise<void> {
  const db = await getDatabase();
  for (const org of getConfig().organizations.values()) {
    await db.query(
      "INSERT INTO organizations (slug, display_name) VALUES ($1, $2) ON CONFLICT (slug) DO UPDATE SET display_name = EXCLUDED.display_name",
      [org.slug, org.displayName],
    );
  }
}
