// The process and HTTP contract: ready line, request ids, event log, restarts, SIGTERM, the operation middleware hook.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { EncryptCommand, GenerateDataKeyCommand, ListKeysCommand } from "@aws-sdk/client-kms";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { BuildMiddleware } from "@aws-sdk/types";
import { AwsError } from "../src/contracts";
import { startServer } from "../src/server";
import { loadWorld } from "../src/world/load";
import { kmsClient, rejection, sessionCredentials, stsClient } from "./support/clients";
import { ADMIN, APP, EXCHANGE_KEY_ARN, ROLES } from "./support/demo-world";
import { startLocalAws } from "./support/start-local-aws";

const ROOT = resolve(__dirname, "../..");

/** Sends the request to an operation KMS does not have, before it is signed. */
function renameTarget<I extends object, O extends object>(): BuildMiddleware<I, O> {
  return (next) => async (args) => {
    (args.request as { headers: Record<string, string> }).headers["x-amz-target"] = "TrentService.NoSuchOperation";
    return next(args);
  };
}
const assumeAcme = (url: string, tags: Array<{ Key: string; Value: string }> = []) =>
  stsClient(url, APP).send(new AssumeRoleCommand({ RoleArn: ROLES.acme.arn, RoleSessionName: "lifecycle", ExternalId: ROLES.acme.externalId, Tags: tags }));

test("--help prints the flags and exits 0", () => {
  const run = spawnSync(process.execPath, ["--import", "tsx", "local-aws/src/main.ts", "--help"], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
  assert.equal(run.status, 0);
  for (const flag of ["--port", "--host", "--world", "--state", "--event-log", "--data-key-canary", "--faults", "--fault-seed", "--test-controls"]) assert.match(run.stdout, new RegExp(flag));
});

test("x-amzn-RequestId ties each response to its event, and KMS events carry the session's context but no key material", async () => {
  const aws = await startLocalAws();
  try {
    const assumed = await assumeAcme(aws.url, [{ Key: "kb-mfa", Value: "false" }]);
    const stsEvent = await aws.waitForEvent((e) => e.requestID === assumed.$metadata.requestId);
    assert.equal(stsEvent.eventSource, "sts.amazonaws.com");
    assert.match(assumed.$metadata.requestId ?? "", /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    const encryptionContext = { "exchange-id": "ex-7", "sender-org": "acme", "recipient-org": "globex", purpose: "file-content" };
    const dataKey = await kmsClient(aws.url, sessionCredentials(assumed)).send(new GenerateDataKeyCommand({ KeyId: EXCHANGE_KEY_ARN, KeySpec: "AES_256", EncryptionContext: encryptionContext }));
    const event = await aws.waitForEvent((e) => e.requestID === dataKey.$metadata.requestId);
    assert.equal(event.eventSource, "kms.amazonaws.com");
    assert.equal(event.eventName, "GenerateDataKey");
    assert.equal(event.awsRegion, "eu-west-1");
    assert.equal(event.sourceIPAddress, "127.0.0.1");
    assert.match(event.userAgent, /aws-sdk-js/);
    assert.equal(event.eventType, "AwsApiCall");
    assert.equal(event.recipientAccountId, "111111111111");
    assert.deepEqual((event.requestParameters as { encryptionContext: unknown }).encryptionContext, encryptionContext);
    assert.equal(event.resources?.[0]?.ARN, EXCHANGE_KEY_ARN);
    assert.equal(event.userIdentity.type, "AssumedRole");
    assert.equal(event.userIdentity.accessKeyId, assumed.Credentials?.AccessKeyId);
    assert.equal(event.userIdentity.sessionContext?.attributes?.mfaAuthenticated, "false");
    assert.equal(event.userIdentity.sessionContext?.sessionTags?.["kb-mfa"], "false");
    const line = JSON.stringify(event);
    for (const secret of [dataKey.Plaintext, dataKey.CiphertextBlob]) assert.ok(!line.includes(Buffer.from(secret as Uint8Array).toString("base64")));
  } finally {
    await aws.stop();
  }
});

test("an unknown X-Amz-Target is UnknownOperationException, and a body over 1 MB is refused", async () => {
  const aws = await startLocalAws({ inMemory: true });
  try {
    const client = kmsClient(aws.url, ADMIN);
    client.middlewareStack.add(renameTarget(), { step: "build" });
    const unknown = await rejection(() => client.send(new ListKeysCommand({})));
    assert.equal(unknown.name, "UnknownOperationException");
    assert.equal(unknown.$metadata?.httpStatusCode, 400);

    const huge = await rejection(() => kmsClient(aws.url, ADMIN).send(new EncryptCommand({ KeyId: EXCHANGE_KEY_ARN, Plaintext: new Uint8Array(1536 * 1024) })));
    assert.equal(huge.$metadata?.httpStatusCode, 413);
    await kmsClient(aws.url, ADMIN).send(new ListKeysCommand({}));
  } finally {
    await aws.stop();
  }
});

test("role sessions survive a restart with --state, and not without it", async () => {
  const stateDir = mkdtempSync(join(tmpdir(), "local-aws-restart-"));
  try {
    let aws = await startLocalAws({ stateDir });
    const kept = sessionCredentials(await assumeAcme(aws.url));
    assert.equal(await aws.stop(), 0);
    aws = await startLocalAws({ stateDir });
    const identity = await stsClient(aws.url, kept).send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Arn, "arn:aws:sts::111111111111:assumed-role/keybridge-acme-uploader/lifecycle");
    assert.equal(await aws.stop(), 0);

    aws = await startLocalAws({ inMemory: true });
    const lost = sessionCredentials(await assumeAcme(aws.url));
    await aws.stop();
    aws = await startLocalAws({ inMemory: true });
    const error = await rejection(() => stsClient(aws.url, lost).send(new GetCallerIdentityCommand({})));
    assert.equal(error.name, "InvalidClientTokenId");
    await aws.stop();
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
});

test("SIGTERM exits 0 after flushing the event log", async () => {
  const stateDir = mkdtempSync(join(tmpdir(), "local-aws-sigterm-"));
  try {
    const aws = await startLocalAws({ stateDir });
    const identity = await stsClient(aws.url, ADMIN).send(new GetCallerIdentityCommand({}));
    // No waiting for the log: stopping right after the response must still write its event.
    assert.equal(await aws.stop(), 0);
    assert.ok(aws.readEvents().some((e) => e.requestID === identity.$metadata.requestId));
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
});

test("the operation middleware hook sees every authenticated operation and can answer with an AWS error", async () => {
  const seen: string[] = [];
  const server = await startServer({
    host: "127.0.0.1",
    port: 0,
    world: loadWorld(join(ROOT, "local-aws/world.example.json")),
    stateDir: null,
    eventLogPath: null,
    middleware: [
      async (request, next) => {
        seen.push(`${request.service}:${request.operation}:${request.call.caller.arn}`);
        if (request.operation === "ListKeys") throw new AwsError("ThrottlingException", "Rate exceeded", 400);
        return next();
      },
    ],
  });
  try {
    const throttled = await rejection(() => kmsClient(server.url, ADMIN).send(new ListKeysCommand({})));
    assert.equal(throttled.name, "ThrottlingException");
    await stsClient(server.url, ADMIN).send(new GetCallerIdentityCommand({}));
    assert.deepEqual(seen, ["kms:ListKeys:arn:aws:iam::000000000000:user/admin", "sts:GetCallerIdentity:arn:aws:iam::000000000000:user/admin"]);
  } finally {
    await server.close();
  }
});
