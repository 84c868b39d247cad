// POST /__local-aws/expire-sessions: every STS session issued so far is refused as AWS refuses expired credentials.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { GenerateDataKeyCommand } from "@aws-sdk/client-kms";
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand } from "@aws-sdk/client-sts";
import { kmsClient, rejection, sessionCredentials, stsClient } from "./support/clients";
import { ADMIN, APP, EXCHANGE_KEY_ARN, ROLES } from "./support/demo-world";
import { startLocalAws, type LocalAws } from "./support/start-local-aws";
import { expireSessions } from "./support/test-controls";

const assumeAcme = async (url: string) =>
  sessionCredentials(await stsClient(url, APP).send(new AssumeRoleCommand({ RoleArn: ROLES.acme.arn, RoleSessionName: "expiry", ExternalId: ROLES.acme.externalId })));

/** What the Acme uploader's key policy lets it generate a data key for. */
const generateDataKey = new GenerateDataKeyCommand({
  KeyId: EXCHANGE_KEY_ARN,
  KeySpec: "AES_256",
  EncryptionContext: { "exchange-id": "ex-expiry", "sender-org": "acme", "recipient-org": "globex", purpose: "file-content" },
});

test("expire-sessions makes earlier session credentials expired, while sessions issued afterwards work; nothing of it is kept in --state", async (t) => {
  const stateDir = mkdtempSync(join(tmpdir(), "local-aws-expiry-"));
  const started: LocalAws[] = [];
  // after hooks run in the order they were added: one hook, so that servers stop before their state is removed.
  t.after(async () => {
    for (const server of started) await server.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });
  let aws = await startLocalAws({ stateDir, args: ["--test-controls"] });
  started.push(aws);
  const old = await assumeAcme(aws.url);
  const oldUserSession = sessionCredentials(await stsClient(aws.url, ADMIN).send(new GetSessionTokenCommand({})));
  await kmsClient(aws.url, old).send(generateDataKey);

  assert.equal((await expireSessions(aws.url)).status, 204);
  const expired = await rejection(() => kmsClient(aws.url, old).send(generateDataKey));
  assert.equal(expired.name, "ExpiredTokenException");
  assert.equal(expired.message, "The security token included in the request is expired");
  assert.equal(expired.$metadata?.httpStatusCode, 400);
  const event = await aws.waitForEvent((e) => e.requestID === expired.$metadata?.requestId);
  assert.equal(event.errorCode, "ExpiredTokenException");
  assert.equal(event.userIdentity.accessKeyId, old.accessKeyId);
  const stsExpired = await rejection(() => stsClient(aws.url, oldUserSession).send(new GetCallerIdentityCommand({})));
  assert.equal(stsExpired.name, "ExpiredToken");
  assert.equal(stsExpired.$metadata?.httpStatusCode, 403);

  // Long-term keys are not sessions, and a session assumed after the call is new.
  const fresh = await assumeAcme(aws.url);
  await kmsClient(aws.url, fresh).send(generateDataKey);
  await stsClient(aws.url, ADMIN).send(new GetCallerIdentityCommand({}));

  assert.equal(await aws.stop(), 0);
  aws = await startLocalAws({ stateDir });
  started.push(aws);
  await kmsClient(aws.url, old).send(generateDataKey);
});
