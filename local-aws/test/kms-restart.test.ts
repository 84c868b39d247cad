// KMS state across restarts over one state directory: keys, aliases, grants, tags, key policies and every
// generation of key material survive, and ciphertexts from before a restart and a rotation still decrypt.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GetKeyPolicyCommand,
  ListGrantsCommand,
  ListResourceTagsCommand,
  PutKeyPolicyCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
} from "@aws-sdk/client-kms";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { kmsClient, sessionCredentials, stsClient } from "./support/clients";
import { ADMIN, APP, EXCHANGE_KEY_ARN, ROLES, demoWorld } from "./support/demo-world";
import { startLocalAws } from "./support/start-local-aws";

const stateDir = join(mkdtempSync(join(tmpdir(), "kms-restart-")), "state");
after(() => rmSync(join(stateDir, ".."), { recursive: true, force: true }));

// A key administrator in Acme's account, so the test can change the world key's policy at run time.
const ACME_ADMIN = { accessKeyId: "AKIAACMEKEYADMIN0001", secretAccessKey: "acme/key-admin/for-tests-only" };
function testWorld() {
  const world = demoWorld();
  world.users.push({
    account: "111111111111",
    name: "key-admin",
    accessKeys: [{ ...ACME_ADMIN }],
    policies: [{ name: "kms-admin", document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }] } }],
  });
  return world;
}

async function roleKms(url: string, role: "acme" | "globex") {
  const response = await stsClient(url, APP).send(
    new AssumeRoleCommand({
      RoleArn: ROLES[role].arn,
      RoleSessionName: `restart-${role}`,
      ExternalId: ROLES[role].externalId,
      Tags: [
        { Key: "kb-user", Value: "u-1" },
        { Key: "kb-org", Value: role },
        { Key: "kb-mfa", Value: "true" },
        { Key: "kb-mfa-at", Value: String(Math.floor(Date.now() / 1000)) },
      ],
    }),
  );
  return kmsClient(url, sessionCredentials(response));
}

const fileContext = { "exchange-id": "ex-restart", "sender-org": "acme", "recipient-org": "globex", purpose: "file-content" };
const context = { purpose: "restart" };
const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString("utf8");

test("keys, policies, grants and all key material survive a restart; old ciphertexts decrypt", async () => {
  const world = testWorld();
  const first = await startLocalAws({ world, stateDir });
  const admin = kmsClient(first.url, ADMIN);
  const { KeyMetadata } = await admin.send(new CreateKeyCommand({ Description: "survivor", Tags: [{ TagKey: "keep", TagValue: "yes" }] }));
  const keyArn = KeyMetadata?.Arn ?? "";
  await admin.send(new CreateAliasCommand({ AliasName: "alias/survivor", TargetKeyId: keyArn }));
  const beforeRotation = await admin.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from("before rotation"), EncryptionContext: context }));
  await admin.send(new RotateKeyOnDemandCommand({ KeyId: keyArn }));
  const afterRotation = await admin.send(new EncryptCommand({ KeyId: "alias/survivor", Plaintext: Buffer.from("after rotation"), EncryptionContext: context }));
  const { GrantId } = await admin.send(new CreateGrantCommand({ KeyId: keyArn, GranteePrincipal: "arn:aws:iam::000000000000:user/nobody", Operations: ["Decrypt"] }));
  const doomed = (await admin.send(new CreateKeyCommand({}))).KeyMetadata?.Arn ?? "";
  await admin.send(new ScheduleKeyDeletionCommand({ KeyId: doomed, PendingWindowInDays: 7 }));

  // The world key: its material is made on first start and must be the same after the restart.
  const fileKey = await (await roleKms(first.url, "acme")).send(new GenerateDataKeyCommand({ KeyId: "alias/keybridge-exchange", KeySpec: "AES_256", EncryptionContext: fileContext }));
  const acmeAdmin = kmsClient(first.url, ACME_ADMIN);
  const policy = JSON.parse((await acmeAdmin.send(new GetKeyPolicyCommand({ KeyId: EXCHANGE_KEY_ARN }))).Policy ?? "{}");
  policy.Statement.push({ Sid: "AddedAtRunTime", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "kms:ListGrants", Resource: "*" });
  await acmeAdmin.send(new PutKeyPolicyCommand({ KeyId: EXCHANGE_KEY_ARN, Policy: JSON.stringify(policy) }));
  assert.equal(await first.stop(), 0);

  assert.equal(statSync(join(stateDir, "master.key")).mode & 0o777, 0o600);
  assert.equal(statSync(join(stateDir, "kms-state.json")).mode & 0o777, 0o600);
  const stateText = readFileSync(join(stateDir, "kms-state.json"), "utf8");
  assert.doesNotMatch(stateText, new RegExp(Buffer.from(fileKey.Plaintext ?? []).toString("base64").replace(/[+/=]/g, "\\$&")));

  const second = await startLocalAws({ world, stateDir });
  try {
    const again = kmsClient(second.url, ADMIN);
    assert.equal(text((await again.send(new DecryptCommand({ CiphertextBlob: beforeRotation.CiphertextBlob, EncryptionContext: context }))).Plaintext), "before rotation");
    assert.equal(text((await again.send(new DecryptCommand({ CiphertextBlob: afterRotation.CiphertextBlob, EncryptionContext: context }))).Plaintext), "after rotation");
    assert.equal((await again.send(new DescribeKeyCommand({ KeyId: "alias/survivor" }))).KeyMetadata?.Description, "survivor");
    assert.deepEqual((await again.send(new ListResourceTagsCommand({ KeyId: keyArn }))).Tags, [{ TagKey: "keep", TagValue: "yes" }]);
    assert.equal((await again.send(new ListGrantsCommand({ KeyId: keyArn }))).Grants?.[0]?.GrantId, GrantId);
    assert.equal((await again.send(new DescribeKeyCommand({ KeyId: doomed }))).KeyMetadata?.KeyState, "PendingDeletion");

    const decrypted = await (await roleKms(second.url, "globex")).send(new DecryptCommand({ CiphertextBlob: fileKey.CiphertextBlob, EncryptionContext: fileContext }));
    assert.deepEqual(Buffer.from(decrypted.Plaintext ?? []), Buffer.from(fileKey.Plaintext ?? []));
    // State wins over the world file for keys it already holds.
    assert.match((await kmsClient(second.url, ACME_ADMIN).send(new GetKeyPolicyCommand({ KeyId: EXCHANGE_KEY_ARN }))).Policy ?? "", /AddedAtRunTime/);
  } finally {
    await second.stop();
  }
});
