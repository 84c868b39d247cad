// Test-only fault injection (--faults, --fault-seed, PUT /__local-aws/faults), seen through the real AWS SDK.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { CreateKeyCommand, DescribeKeyCommand, GenerateDataKeyCommand, KMSClient, ListAliasesCommand, ListKeysCommand } from "@aws-sdk/client-kms";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { kmsClient, rejection, stsClient } from "./support/clients";
import { ADMIN, APP, REGION, ROLES } from "./support/demo-world";
import { startLocalAws, type LocalAws, type StartOptions } from "./support/start-local-aws";
import { getFaults, putFaults, setFaults } from "./support/test-controls";

const ROOT = resolve(__dirname, "../..");

type RawError = Error & { code?: string; Type?: string; $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number }; $response?: { headers: Record<string, string> } };

/** Runs `fn` with a --faults file holding `rules`, and removes it afterwards. */
async function withRulesFile<T>(rules: unknown, fn: (file: string) => T | Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "local-aws-faults-"));
  try {
    const file = join(dir, "faults.json");
    writeFileSync(file, JSON.stringify(rules));
    return await fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** local-aws reads --faults at start-up only, so the file can go once it is ready. */
const startWithFaults = (rules: unknown, options: StartOptions = {}): Promise<LocalAws> =>
  withRulesFile(rules, (file) => startLocalAws({ ...options, args: ["--faults", file, ...(options.args ?? [])] }));

const createKey = async (url: string): Promise<string> => (await kmsClient(url, ADMIN).send(new CreateKeyCommand({}))).KeyMetadata?.KeyId as string;
const countKeys = async (url: string): Promise<number> => (await kmsClient(url, ADMIN).send(new ListKeysCommand({ Limit: 1000 }))).Keys?.length ?? 0;

test("a throttled call reaches the SDK as a retryable ThrottlingException, runs nothing and is logged as a failed call", async (t) => {
  const aws = await startLocalAws({ args: ["--test-controls"] });
  t.after(() => aws.stop());
  const keyId = await createKey(aws.url);
  const keysBefore = await countKeys(aws.url);
  const rules = [
    { service: "kms", operation: "GenerateDataKey", errorCode: "ThrottlingException" },
    { service: "kms", operation: "CreateKey", errorCode: "ThrottlingException", probability: 1 },
  ];
  await setFaults(aws.url, rules);
  assert.deepEqual(await (await getFaults(aws.url)).json(), rules);

  const throttled = (await rejection(() => kmsClient(aws.url, ADMIN).send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: "AES_256" })))) as RawError;
  assert.equal(throttled.name, "ThrottlingException");
  assert.equal(throttled.message, "Rate exceeded");
  assert.equal(throttled.$metadata?.httpStatusCode, 400);
  assert.equal(throttled.$response?.headers["x-amzn-errortype"], "ThrottlingException");
  assert.equal(throttled.$response?.headers["x-amzn-requestid"], throttled.$metadata?.requestId);
  const event = await aws.waitForEvent((e) => e.requestID === throttled.$metadata?.requestId);
  assert.equal(event.eventName, "GenerateDataKey");
  assert.equal(event.errorCode, "ThrottlingException");
  assert.equal(event.errorMessage, "Rate exceeded");
  assert.equal(event.responseElements, null);
  assert.deepEqual(event.requestParameters, { keyId, keySpec: "AES_256" });

  assert.equal((await rejection(() => kmsClient(aws.url, ADMIN).send(new CreateKeyCommand({})))).name, "ThrottlingException");
  assert.equal(await countKeys(aws.url), keysBefore);

  // The SDK's standard retry strategy takes it for throttling: a second attempt, which is throttled too.
  const twice = (await rejection(() => new KMSClient({ endpoint: aws.url, region: REGION, credentials: ADMIN, maxAttempts: 2 }).send(new CreateKeyCommand({})))) as RawError;
  assert.equal(twice.name, "ThrottlingException");
  assert.equal(twice.$metadata?.attempts, 2);

  await setFaults(aws.url, []);
  await kmsClient(aws.url, ADMIN).send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: "AES_256" }));
});

test("at probability 0.3 with a fixed seed, the SDK's default retries get 20 GenerateDataKey calls through and the log shows the throttled attempts", async (t) => {
  // With seed 24 the rolls throttle 5 of 25 attempts and no call 3 times running (the SDK's default is 3 attempts).
  const rules = [{ service: "kms", operation: "GenerateDataKey", errorCode: "ThrottlingException", probability: 0.3 }];
  const aws = await startWithFaults(rules, { args: ["--fault-seed", "24"] });
  t.after(() => aws.stop());
  const keyId = await createKey(aws.url);
  const client = new KMSClient({ endpoint: aws.url, region: REGION, credentials: ADMIN }); // default retry strategy and attempts
  let retries = 0;
  let lastRequestId = "";
  for (let i = 0; i < 20; i += 1) {
    const response = await client.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: "AES_256" }));
    retries += (response.$metadata.attempts ?? 1) - 1;
    lastRequestId = response.$metadata.requestId ?? "";
  }
  await aws.waitForEvent((e) => e.requestID === lastRequestId);
  const calls = aws.readEvents().filter((e) => e.eventName === "GenerateDataKey");
  const throttled = calls.filter((e) => e.errorCode === "ThrottlingException").length;
  assert.equal(calls.filter((e) => e.errorCode === undefined).length, 20);
  assert.equal(throttled, 5);
  assert.equal(retries, throttled);
});

test("latencyMs delays the answer, with or without an error", async (t) => {
  const aws = await startLocalAws({ inMemory: true, args: ["--test-controls"] });
  t.after(() => aws.stop());
  await setFaults(aws.url, [
    { service: "kms", operation: "ListKeys", latencyMs: 300 },
    { service: "kms", operation: "DescribeKey", latencyMs: 200, errorCode: "KMSInternalException" },
  ]);
  let started = performance.now();
  await kmsClient(aws.url, ADMIN).send(new ListKeysCommand({}));
  assert.ok(performance.now() - started >= 300);

  started = performance.now();
  const error = (await rejection(() => kmsClient(aws.url, ADMIN).send(new DescribeKeyCommand({ KeyId: "alias/none" })))) as RawError;
  assert.ok(performance.now() - started >= 200);
  assert.equal(error.name, "KMSInternalException");
  assert.equal(error.$metadata?.httpStatusCode, 500);
});

test("drop closes the connection without an answer, and the server goes on serving", async (t) => {
  const aws = await startLocalAws({ inMemory: true, args: ["--test-controls"] });
  t.after(() => aws.stop());
  await setFaults(aws.url, [{ service: "kms", operation: "ListKeys", drop: true }]);
  const error = (await rejection(() => kmsClient(aws.url, ADMIN).send(new ListKeysCommand({})))) as RawError;
  assert.match(`${error.name} ${error.code} ${error.message}`, /ECONNRESET|socket hang up/);
  assert.equal(error.$metadata?.httpStatusCode, undefined);
  assert.equal((await kmsClient(aws.url, ADMIN).send(new ListAliasesCommand({}))).$metadata.httpStatusCode, 200);
  await setFaults(aws.url, []);
  await kmsClient(aws.url, ADMIN).send(new ListKeysCommand({}));
});

test('--faults loads rules at start-up; "*" matches every operation of its service only; SigV4 failures keep their own answers', async (t) => {
  const aws = await startWithFaults([{ service: "kms", operation: "*", errorCode: "ServiceUnavailable" }], { inMemory: true });
  t.after(() => aws.stop());
  for (const send of [() => kmsClient(aws.url, ADMIN).send(new ListKeysCommand({})), () => kmsClient(aws.url, ADMIN).send(new CreateKeyCommand({}))]) {
    const error = (await rejection(send)) as RawError;
    assert.equal(error.name, "ServiceUnavailable");
    assert.equal(error.$metadata?.httpStatusCode, 503);
  }
  const badSignature = await rejection(() => kmsClient(aws.url, { ...ADMIN, secretAccessKey: "wrong-secret-wrong-secret" }).send(new ListKeysCommand({})));
  assert.equal(badSignature.name, "InvalidSignatureException");
  await stsClient(aws.url, ADMIN).send(new GetCallerIdentityCommand({}));
});

test("an sts rule throttles AssumeRole with STS's XML error, which the SDK retries", async (t) => {
  const aws = await startLocalAws({ args: ["--test-controls"] });
  t.after(() => aws.stop());
  await setFaults(aws.url, [{ service: "sts", operation: "AssumeRole", errorCode: "Throttling" }]);
  const input = { RoleArn: ROLES.acme.arn, RoleSessionName: "faults", ExternalId: ROLES.acme.externalId };
  const error = (await rejection(() => stsClient(aws.url, APP).send(new AssumeRoleCommand(input)))) as RawError;
  assert.equal(error.name, "Throttling");
  assert.equal(error.Type, "Sender");
  assert.equal(error.message, "Rate exceeded");
  assert.equal(error.$metadata?.httpStatusCode, 400);
  assert.equal(error.$response?.headers["content-type"], "text/xml");
  assert.equal((await aws.waitForEvent((e) => e.requestID === error.$metadata?.requestId)).errorCode, "Throttling");

  const retried = (await rejection(() => new STSClient({ endpoint: aws.url, region: REGION, credentials: APP, maxAttempts: 2 }).send(new AssumeRoleCommand(input)))) as RawError;
  assert.equal(retried.$metadata?.attempts, 2);
  await stsClient(aws.url, APP).send(new GetCallerIdentityCommand({}));
});

test("the control API: 404 without --test-controls; bad rules are 400 naming the JSON path and change nothing", async (t) => {
  const off = await startLocalAws({ inMemory: true });
  t.after(() => off.stop());
  assert.equal((await getFaults(off.url)).status, 404);
  assert.equal((await putFaults(off.url, [])).status, 404);
  assert.equal((await fetch(`${off.url}/__local-aws/expire-sessions`, { method: "POST" })).status, 404);

  const on = await startLocalAws({ inMemory: true, args: ["--test-controls"] });
  t.after(() => on.stop());
  const kept = [{ service: "kms", operation: "Decrypt", latencyMs: 10 }];
  await setFaults(on.url, kept);
  for (const [body, pattern] of [
    ["not json", /not valid JSON/],
    [{ service: "kms" }, /^\(root\): Invalid input: expected array/],
    [[{ service: "s3", operation: "*", errorCode: "X" }], /^\[0\]\.service: /],
    [[{ service: "kms", operation: "GenerateDatakey", errorCode: "ThrottlingException" }], /^\[0\]\.operation: kms has no operation "GenerateDatakey"/],
    [[kept[0], { service: "kms", operation: "*", errorCode: "ThrottlingException", probability: 1.5 }], /^\[1\]\.probability: /],
  ] as const) {
    const response = await putFaults(on.url, body);
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as { message: string }).message, pattern);
  }
  assert.deepEqual(await (await getFaults(on.url)).json(), kept);
  const wrongMethod = await fetch(`${on.url}/__local-aws/faults`, { method: "DELETE" });
  assert.equal(wrongMethod.status, 405);
  assert.equal(wrongMethod.headers.get("allow"), "GET, PUT");
  assert.equal((await fetch(`${on.url}/__local-aws/nothing-here`)).status, 404);
});

test("an invalid --faults file or --fault-seed stops start-up with exit 1 and says what is wrong", async () => {
  const start = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "local-aws/src/main.ts", "--port", "0", ...args], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
  const rules = [{ service: "kms", operation: "GenerateDataKey", errorCode: "ThrottlingException" }, { service: "kms", operation: "*", latencyMs: -5 }];
  await withRulesFile(rules, (file) => {
    const bad = start("--faults", file);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, new RegExp(`faults file ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: \\[1\\]\\.latencyMs: `));
    assert.doesNotMatch(bad.stdout, /ready/);

    const missing = start("--faults", `${file}.missing`);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /faults\.json\.missing: cannot be read: ENOENT/);
  });

  const seed = start("--test-controls", "--fault-seed", "1.5");
  assert.equal(seed.status, 1);
  assert.match(seed.stderr, /--fault-seed must be an integer/);
});
