// `npm run demo`: local-aws, the seeded embedded database and the app, with two demo companies, in one command.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Secret, TOTP } from "otpauth";
import { DEMO_PASSWORD, DEMO_USERS, DEMO_USERS_WITHOUT_MFA } from "./demo-users";

const ROOT = resolve(__dirname, "..");
const DATA = join(ROOT, "data");
const LOCAL_AWS_PORT = process.env.LOCAL_AWS_PORT ?? "4599";
const APP_PORT = process.env.PORT ?? "3000";

function authSecret(): string {
  const path = join(DATA, "auth-secret");
  if (!existsSync(path)) writeFileSync(path, randomBytes(32).toString("base64"), { mode: 0o600 });
  return readFileSync(path, "utf8").trim();
}

function step(title: string, command: string, args: string[], env: NodeJS.ProcessEnv): void {
  console.log(`\n> ${title}`);
  const result = spawnSync(command, args, { cwd: ROOT, env, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`${title} failed (exit ${result.status}).`);
    process.exit(1);
  }
}

function main(): void {
  mkdirSync(DATA, { recursive: true, mode: 0o700 });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KEYBRIDGE_DATA_DIR: DATA,
    KEYBRIDGE_AWS_ENDPOINT: `http://127.0.0.1:${LOCAL_AWS_PORT}`,
    NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? authSecret(),
    NEXTAUTH_URL: `http://localhost:${APP_PORT}`,
    // The demo app's base credentials: the service user of local-aws/world.example.json.
    AWS_ACCESS_KEY_ID: "AKIAKEYBRIDGEAPP0001",
    AWS_SECRET_ACCESS_KEY: "keybridge/local/app/secret/not-for-production",
    AWS_REGION: "eu-west-1",
    AWS_EC2_METADATA_DISABLED: "true",
    PORT: APP_PORT,
    NODE_ENV: "production",
  };
  if (!existsSync(join(ROOT, ".next", "BUILD_ID")) || process.argv.includes("--build")) step("Building the app (about a minute the first time)", "npx", ["next", "build"], env);
  step("Migrating and seeding the demo organizations", process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/seed.ts"], env);

  const children = [
    spawn(process.execPath, ["--import", "tsx", "local-aws/src/main.ts", "--port", LOCAL_AWS_PORT, "--state", join(DATA, "local-aws")], { cwd: ROOT, env, stdio: "inherit" }),
  ];
  // The app assumes roles at its first request, so local-aws only has to be up before people sign in.
  children.push(spawn(process.execPath, ["--import", "tsx", "server.ts"], { cwd: ROOT, env, stdio: "inherit" }));

  const code = (secret: string) => new TOTP({ secret: Secret.fromBase32(secret) }).generate();
  console.log(`\nKeybridge demo on http://localhost:${APP_PORT} — every demo user's password is: ${DEMO_PASSWORD}`);
  console.log("Sign in with a code from an authenticator app holding the TOTP secret below (or the code shown, valid for 30 s):\n");
  for (const user of DEMO_USERS) console.log(`  ${user.email.padEnd(24)} ${user.orgSlug.padEnd(8)} ${user.role.padEnd(8)} TOTP secret ${user.totpSecret}  (now ${code(user.totpSecret)})`);
  for (const user of DEMO_USERS_WITHOUT_MFA) console.log(`  ${user.email.padEnd(24)} ${user.orgSlug.padEnd(8)} ${user.role.padEnd(8)} no authenticator yet: enrol under Security after signing in`);
  console.log(`\nlocal-aws (KMS + STS) listens on http://127.0.0.1:${LOCAL_AWS_PORT}; its event log is data/local-aws/events.jsonl. Ctrl-C stops everything.`);

  const stop = () => {
    for (const child of children) child.kill("SIGTERM");
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  for (const child of children)
    child.once("exit", (status) => {
      if (status !== 0 && status !== null) console.error(`a demo process exited with ${status}; stopping the rest`);
      stop();
    });
}

main();
