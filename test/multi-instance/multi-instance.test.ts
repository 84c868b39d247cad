// Two app instances behind an imaginary load balancer, sharing one PostgreSQL database, one S3 bucket and one
// local-aws: a person's consecutive requests may land on either, and nothing may depend on which.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { hashBody, sha256, waitFor } from "../support/bytes";
import { startPostgres, type PostgresServer } from "../support/postgres";
import { runProcess } from "../support/processes";
import { startLocalS3, type LocalS3 } from "../support/s3";
import { startStack, type Stack } from "../support/stack";
import { WebClient } from "../support/web-client";

const ROOT = resolve(__dirname, "../..");
const secret = randomBytes(32).toString("base64");
let postgres: PostgresServer;
let s3: LocalS3;
let stack: Stack;
let databaseUrl: string;
let first: string;
let second: string;
const content = randomBytes(3 * 1024 * 1024 + 11);

before(async () => {
  [postgres, s3] = await Promise.all([startPostgres(), startLocalS3()]);
  databaseUrl = postgres.createDatabase("multi");
  stack = await startStack({ databaseUrl, s3: { endpoint: s3.endpoint, bucket: s3.bucket }, instances: 2, env: { NEXTAUTH_SECRET: secret } });
  [first, second] = stack.appUrls as [string, string];
});

after(async () => {
  await stack?.stop();
  await Promise.all([postgres?.stop(), s3?.stop()]);
});

async function createLink(client: WebClient, exchangeId: string, options: Record<string, unknown> = {}) {
  const response = await client.fetch(`/api/exchanges/${exchangeId}/links`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(options) });
  assert.equal(response.status, 201, await response.clone().text());
  return (await response.json()) as { linkId: string; token: string };
}

async function uploadThrough(client: WebClient, fileName: string) {
  const uploaded = await client.upload({ recipientOrg: "globex", fileName, content, size: content.length });
  assert.equal(uploaded.status, 200, JSON.stringify(uploaded.body));
  return uploaded.body.exchangeId as string;
}

test("a session started on one instance works on the other, and signing out on one ends it on both", async () => {
  const gina = await WebClient.signedIn(first, "gina@globex.example");
  assert.equal((await gina.at(second).fetch("/inbox")).status, 200);
  const ginaCookie = gina.cookieHeader();
  const csrf = (await (await gina.at(second).fetch("/api/auth/csrf")).json()) as { csrfToken: string };
  assert.equal((await fetch(`${first}/inbox`, { headers: { cookie: ginaCookie }, redirect: "manual" })).status, 200, "the cookie opened the inbox before sign-out");
  // Sign-out on the second instance: the first refuses Gina's cookie replayed at once, as her session row is gone.
  const signedOut = await gina.at(second).fetch("/api/auth/signout", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ csrfToken: csrf.csrfToken, json: "true" }) });
  assert.ok(signedOut.status < 400, `sign-out answered ${signedOut.status}`);
  const replayed = await fetch(`${first}/inbox`, { headers: { cookie: ginaCookie }, redirect: "manual" });
  assert.equal(replayed.status, 307);
  assert.match(replayed.headers.get("location") ?? "", /\/signin/);
});

test("upload through one instance, link from the other, download through the first, revoke on the second", async () => {
  const alice = await WebClient.signedIn(first, "alice@acme.example");
  const bob = await WebClient.signedIn(second, "bob@globex.example");
  const exchangeId = await uploadThrough(alice, "two-instances.bin");

  const { linkId, token } = await createLink(alice.at(second), exchangeId);
  const download = await bob.at(first).fetch(`/api/links/${token}/content`);
  assert.equal(download.status, 200);
  assert.deepEqual(await hashBody(download), { bytes: content.length, sha256: sha256(content) });

  assert.equal((await alice.at(second).fetch(`/api/exchanges/${exchangeId}/links/${linkId}`, { method: "DELETE" })).status, 204);
  const refused = await bob.at(first).fetch(`/api/links/${token}/content`);
  assert.equal(refused.status, 410);
  assert.equal(((await refused.json()) as { error: { code: string } }).error.code, "link_revoked");

  // The blob went to the bucket, not to either instance's disk.
  assert.ok(s3.objectKeys().some((key) => key.startsWith("blobs/")), "an object under blobs/ in the bucket");
  const blobsOnDisk = join(stack.dataDir, "blobs");
  assert.deepEqual(existsSync(blobsOnDisk) ? readdirSync(blobsOnDisk).filter((name) => !name.startsWith(".")) : [], []);
});

test("a download limit holds when concurrent downloads race on both instances", async () => {
  const alice = await WebClient.signedIn(first, "alice@acme.example");
  const bob = await WebClient.signedIn(first, "bob@globex.example");
  const exchangeId = await uploadThrough(alice, "limited.bin");
  const { token } = await createLink(alice, exchangeId, { maxDownloads: 3 });
  const results = await Promise.all(
    Array.from({ length: 12 }, async (_, index) => {
      const response = await bob.at(index % 2 === 0 ? first : second).fetch(`/api/links/${token}/content`);
      if (response.status !== 200) return `${response.status}`;
      const body = await hashBody(response);
      return body.sha256 === sha256(content) ? "complete" : "short";
    }),
  );
  assert.equal(results.filter((result) => result === "complete").length, 3, results.join(" "));
  assert.deepEqual(new Set(results.filter((result) => result !== "complete")), new Set(["410"]));
});

/** Guesses link tokens through `instances` in turn until refused; returns how many guesses were answered 404. */
async function guessesBeforeLimit(client: WebClient, instances: string[]): Promise<number> {
  for (let guess = 0; guess < 200; guess += 1) {
    const response = await client.at(instances[guess % instances.length] as string).fetch(`/api/links/${randomBytes(32).toString("base64url")}/content`);
    if (response.status === 429) {
      assert.ok(Number(response.headers.get("retry-after")) > 0, "429 says when to retry");
      return guess;
    }
    assert.equal(response.status, 404);
  }
  throw new Error("no rate limit within 200 guesses");
}

test("link guessing spread over both instances is limited at the same count as on one", async () => {
  const onOne = await guessesBeforeLimit(await WebClient.signedIn(first, "gina@globex.example"), [first]);
  const onBoth = await guessesBeforeLimit(await WebClient.signedIn(first, "greg@globex.example"), [first, second]);
  assert.ok(onOne > 0);
  assert.equal(onBoth, onOne);
});

test("concurrent uploads through both instances leave one unbroken audit chain", async () => {
  const alice = await WebClient.signedIn(first, "alice@acme.example");
  const adam = await WebClient.signedIn(second, "adam@acme.example");
  await Promise.all([0, 1, 2].flatMap((index) => [uploadThrough(alice, `race-a-${index}.bin`), uploadThrough(adam.at(index % 2 ? first : second), `race-b-${index}.bin`)]));
  const verified = await runProcess(process.execPath, ["--conditions=react-server", "--import", "tsx", resolve(ROOT, "scripts/audit-verify.ts")], {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATABASE_URL: databaseUrl,
    NEXTAUTH_SECRET: secret,
    KEYBRIDGE_DATA_DIR: stack.dataDir,
    NODE_ENV: "test",
  });
  const checked = Number(/audit chain OK: (\d+) events verified/.exec(verified)?.[1]);
  assert.ok(checked > 12, verified);
  await waitFor(async () => ((await (await alice.fetch("/sent")).text()).includes("race-b-2.bin") ? true : undefined), "the other person's uploads listed");
});
