import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { resolve } from "node:path";
import { after, before, test } from "node:test";
import { generatedStream, hashBody } from "../support/bytes";
import { startPostgres, type PostgresServer } from "../support/postgres";
import { runProcess } from "../support/processes";
import { startStack, type Stack } from "../support/stack";
import { WebClient } from "../support/web-client";
import { DEMO_USERS, DEMO_USERS_WITHOUT_MFA } from "../../scripts/demo-users";

const ROOT = resolve(__dirname, "../..");
let postgres: PostgresServer;
let stack: Stack;

before(async () => {
  postgres = await startPostgres();
});

after(async () => {
  await stack?.stop();
  await postgres?.stop();
});

const toolEnv = (databaseUrl: string): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  DATABASE_URL: databaseUrl,
  NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
  KEYBRIDGE_DATA_DIR: tmpdir(),
  NODE_ENV: "test",
});

test("several instances migrating and seeding one PostgreSQL at once apply each migration exactly once", async () => {
  const url = postgres.createDatabase("race");
  const seed = () => runProcess(process.execPath, ["--conditions=react-server", "--import", "tsx", resolve(ROOT, "scripts/seed.ts")], toolEnv(url));
  await Promise.all([seed(), seed(), seed()]);
  const psql = (sql: string) => execFileSync("psql", [url, "-At", "-c", sql], { encoding: "utf8" }).trim();
  assert.equal(psql("SELECT count(*) FROM schema_migrations"), psql("SELECT count(DISTINCT id) FROM schema_migrations"));
  assert.equal(psql("SELECT count(*) FROM users"), String(DEMO_USERS.length + DEMO_USERS_WITHOUT_MFA.length));
});

test("the whole exchange path runs unchanged on PostgreSQL, with an intact audit chain", async () => {
  const url = postgres.createDatabase("exchange");
  stack = await startStack({ databaseUrl: url });
  const alice = await WebClient.signedIn(stack.appUrl, "alice@acme.example");
  const bob = await WebClient.signedIn(stack.appUrl, "bob@globex.example");
  const size = 5 * 1024 * 1024 + 3;
  const { stream, digest } = generatedStream(size);
  const uploaded = await alice.upload({ recipientOrg: "globex", fileName: "postgres.bin", content: stream, size });
  assert.equal(uploaded.status, 200, JSON.stringify(uploaded.body));
  const inbox = await bob.fetch("/inbox");
  assert.match(await inbox.text(), /postgres\.bin/);
  const download = await bob.fetch(`/api/exchanges/${uploaded.body.exchangeId}/content`);
  assert.deepEqual(await hashBody(download), { bytes: size, sha256: await digest });

  // PostgreSQL, unlike the embedded database, can be checked while the app runs.
  const verified = await runProcess(process.execPath, ["--conditions=react-server", "--import", "tsx", resolve(ROOT, "scripts/audit-verify.ts")], toolEnv(url));
  assert.match(verified, /audit chain OK: \d+ events verified/);
});
