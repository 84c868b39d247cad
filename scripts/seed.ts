// Migrates the database and seeds the demo organizations and people. Run with --conditions=react-server (see package.json).
import { ensureUser } from "../lib/auth/create-user";
import { getDatabase } from "../lib/db";
import { syncOrganizations } from "../lib/organizations/sync-organizations";
import { DEMO_PASSWORD, DEMO_USERS, DEMO_USERS_WITHOUT_MFA } from "./demo-users";

async function main(): Promise<void> {
  await syncOrganizations();
  // Password hashing runs on libuv's thread pool, so the users are created side by side.
  const people = [...DEMO_USERS, ...DEMO_USERS_WITHOUT_MFA];
  await Promise.all(people.map((user) => ensureUser({ ...user, password: DEMO_PASSWORD })));
  await (await getDatabase()).close();
  console.log(`seeded ${people.length} demo users`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
