import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { loadWorld, parseWorld } from "../src/world/load";
import { demoWorld } from "./support/demo-world";

const ROOT = resolve(__dirname, "../..");

test("the shipped demo world loads", () => {
  const world = loadWorld(join(ROOT, "local-aws/world.example.json"));
  assert.equal(world.region, "eu-west-1");
  assert.deepEqual(world.keys[0]?.aliases, ["alias/keybridge-exchange"]);
});

test("schema errors name the JSON path of each bad value", () => {
  const world = demoWorld();
  (world.roles[1]?.trustPolicy.Statement[0] as Record<string, unknown>).Effect = "Permit";
  assert.throws(() => parseWorld("w.json", JSON.stringify(world)), (e: Error) => e.message.startsWith("world file w.json: roles[1].trustPolicy.Statement[0].Effect: "));
});

test("references to undeclared accounts and duplicate names, key ids and aliases are refused", () => {
  const world = demoWorld();
  world.accounts.pop();
  world.users.push({ ...structuredClone(world.users[0] as (typeof world.users)[number]), name: "ADMIN" });
  (world.keys).push({ ...structuredClone(world.keys[0] as Record<string, unknown>) });
  assert.throws(
    () => parseWorld("w.json", JSON.stringify(world)),
    (e: Error) =>
      /roles\[2\]\.account: account 333333333333 is not declared/.test(e.message) &&
      /users\[2\]\.name: user name ADMIN in account 000000000000 is already used at users\[0\]\.name/.test(e.message) &&
      /users\[2\]\.accessKeys\[0\]\.accessKeyId: access key id AKIAIOSFODNN7EXAMPLE is already used/.test(e.message) &&
      /keys\[1\]\.id: key id/.test(e.message) &&
      /keys\[1\]\.aliases\[0\]: alias alias\/keybridge-exchange in account 111111111111 is already used/.test(e.message),
  );
});

test("local-aws exits non-zero on a bad world file and says which path is wrong", () => {
  const dir = mkdtempSync(join(tmpdir(), "local-aws-world-"));
  try {
    const world = demoWorld();
    (world.users[1] as Record<string, unknown>).accessKeys = [{ accessKeyId: "not-a-key", secretAccessKey: "0123456789abcdef" }];
    const file = join(dir, "world.json");
    writeFileSync(file, JSON.stringify(world));
    const run = spawnSync(process.execPath, ["--import", "tsx", "local-aws/src/main.ts", "--port", "0", "--world", file], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
    assert.equal(run.status, 1);
    assert.match(run.stderr, new RegExp(`world file ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: users\\[1\\]\\.accessKeys\\[0\\]\\.accessKeyId: a long-term access key id starts with AKIA`));
    assert.doesNotMatch(run.stdout, /ready/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
