import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ConfigError, loadConfig } from "./load";

const demo = JSON.parse(readFileSync(join(__dirname, "../../config/keybridge.demo.json"), "utf8"));
const secret = "0123456789abcdef0123456789abcdef";

function withConfig(edit: (config: any) => void, env: Record<string, string> = {}) {
  const config = structuredClone(demo);
  edit(config);
  const path = join(mkdtempSync(join(tmpdir(), "kb-config-")), "config.json");
  writeFileSync(path, JSON.stringify(config));
  return () => loadConfig({ KEYBRIDGE_CONFIG: path, NEXTAUTH_SECRET: secret, ...env } as unknown as NodeJS.ProcessEnv);
}

test("the demo configuration loads", () => {
  const config = withConfig(() => undefined)();
  assert.equal(config.organizations.get("acme")?.sendsTo[0], "globex");
  assert.equal(config.uploads.frameBytes, 1024 * 1024);
  assert.equal(config.mfaMaxAgeSeconds, 600);
  assert.deepEqual(config.http, { maxBodyBytes: 65536, headersTimeoutMs: 20_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5000, idleTimeoutMs: 120_000, uploadRateWindowMs: 30_000, uploadMinBytes: 65536 });
  assert.equal(config.uploads.maxUnfinishedPerMember, 20);
});

const bad: Array<[string, (config: any) => void, Record<string, string>, RegExp]> = [
  ["a bad CIDR", (c) => (c.organizations[0].uploadNetworks = ["10.0.0.0/33"]), {}, /organizations\.0\.uploadNetworks\.0: must be a CIDR block/],
  ["a key id that is not an ARN", (c) => (c.aws.exchangeKeyArn = "alias/keybridge-exchange"), {}, /aws\.exchangeKeyArn: must be a KMS key ARN/],
  ["an unknown partner", (c) => (c.organizations[0].sendsTo = ["umbrella"]), {}, /organizations\.0\.sendsTo\.0: "umbrella" is not another configured organization/],
  ["a role that is not a role ARN", (c) => (c.organizations[1].roleArn = "arn:aws:iam::222222222222:user/bob"), {}, /organizations\.1\.roleArn: must be an IAM role ARN/],
  ["an unknown setting", (c) => (c.aws.regoin = "eu-west-1"), {}, /aws: .*regoin/i],
  ["a short auth secret", () => undefined, { NEXTAUTH_SECRET: "short" }, /environment: NEXTAUTH_SECRET: must be at least 32 characters/],
  ["a bad endpoint override", () => undefined, { KEYBRIDGE_AWS_ENDPOINT: "not a url" }, /environment: KEYBRIDGE_AWS_ENDPOINT/],
  ["a bucket name S3 refuses", () => undefined, { S3_BUCKET: "Keybridge_Blobs" }, /environment: S3_BUCKET: must be an S3 bucket name/],
  ["an S3 endpoint without a bucket", () => undefined, { S3_ENDPOINT: "http://127.0.0.1:9000" }, /environment: S3_BUCKET: must be set when S3_ENDPOINT/],
  ["a body limit too small for the sign-in form", (c) => (c.http = { maxBodyBytes: 1024 }), {}, /http\.maxBodyBytes: .*16384/],
  ["a request deadline of zero (no deadline)", (c) => (c.http = { requestTimeoutSeconds: 0 }), {}, /http\.requestTimeoutSeconds/],
  ["an upload rate window in minutes", (c) => (c.http = { uploadRateWindowSeconds: "30s" }), {}, /http\.uploadRateWindowSeconds/],
  ["a byte quota below the largest file", (c) => (c.uploads = { maxBytes: 10 * 1024 ** 3, maxUnfinishedBytesPerMember: 1024 ** 3 }), {}, /uploads\.maxUnfinishedBytesPerMember: must be at least uploads\.maxBytes/],
  ["a path-style flag that is not a boolean", () => undefined, { S3_BUCKET: "keybridge-blobs", S3_FORCE_PATH_STYLE: "yes" }, /environment: S3_FORCE_PATH_STYLE: must be true or false/],
];

for (const [name, edit, env, message] of bad) {
  test(`configuration with ${name} stops start-up naming the setting`, () => {
    assert.throws(withConfig(edit, env), (error: unknown) => error instanceof ConfigError && message.test(error.message));
  });
}

test("a missing config file names KEYBRIDGE_CONFIG", () => {
  assert.throws(
    () => loadConfig({ KEYBRIDGE_CONFIG: "/nonexistent/keybridge.json", NEXTAUTH_SECRET: secret } as unknown as NodeJS.ProcessEnv),
    (error: unknown) => error instanceof ConfigError && /KEYBRIDGE_CONFIG: cannot read/.test(error.message),
  );
});
