// Grants through @aws-sdk/client-kms against the real server. The grantee has no IAM policy at all,
// so every cryptographic call it makes succeeds only through a grant.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  ListGrantsCommand,
  RetireGrantCommand,
  RevokeGrantCommand,
  type KMSClient,
} from "@aws-sdk/client-kms";
import { kmsClient, rejection } from "./support/clients";
import { ADMIN, demoWorld } from "./support/demo-world";
import { startLocalAws, type LocalAws } from "./support/start-local-aws";

const GRANTEE = { accessKeyId: "AKIAKMSGRANTEE000001", secretAccessKey: "grantee/secret/for-tests-only" };
const GRANTEE_ARN = "arn:aws:iam::000000000000:user/grantee";
const RETIREE = { accessKeyId: "AKIAKMSRETIREE000001", secretAccessKey: "retiree/secret/for-tests-only" };
const RETIREE_ARN = "arn:aws:iam::000000000000:user/retiree";

let aws: LocalAws;
let admin: KMSClient;
let grantee: KMSClient;
let retiree: KMSClient;

before(async () => {
  const world = demoWorld();
  world.users.push(
    { account: "000000000000", name: "grantee", accessKeys: [{ ...GRANTEE }], policies: [] },
    { account: "000000000000", name: "retiree", accessKeys: [{ ...RETIREE }], policies: [] },
  );
  aws = await startLocalAws({ world });
  admin = kmsClient(aws.url, ADMIN);
  grantee = kmsClient(aws.url, GRANTEE);
  retiree = kmsClient(aws.url, RETIREE);
});
after(async () => {
  await aws.stop();
});

async function newKey(): Promise<string> {
  const { KeyMetadata } = await admin.send(new CreateKeyCommand({}));
  assert.ok(KeyMetadata?.Arn);
  return KeyMetadata.Arn;
}

test("without a grant the grantee is denied; a grant allows exactly its operations", async () => {
  const key = await newKey();
  const before = await rejection(() => grantee.send(new EncryptCommand({ KeyId: key, Plaintext: Buffer.from("x") })));
  assert.equal(before.name, "AccessDeniedException");
  assert.match(before.message, /user\/grantee is not authorized to perform: kms:Encrypt/);

  const { GrantId, GrantToken } = await admin.send(new CreateGrantCommand({ KeyId: key, GranteePrincipal: GRANTEE_ARN, Operations: ["Encrypt", "Decrypt", "DescribeKey"], Name: "app-grant" }));
  assert.match(GrantId ?? "", /^[0-9a-f]{64}$/);
  assert.ok(GrantToken);
  const encrypted = await grantee.send(new EncryptCommand({ KeyId: key, Plaintext: Buffer.from("granted") }));
  assert.equal(Buffer.from((await grantee.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }))).Plaintext ?? []).toString(), "granted");
  assert.equal((await grantee.send(new DescribeKeyCommand({ KeyId: key }))).KeyMetadata?.Arn, key);
  assert.equal((await rejection(() => grantee.send(new GenerateDataKeyCommand({ KeyId: key, KeySpec: "AES_256" })))).name, "AccessDeniedException");

  const retry = await admin.send(new CreateGrantCommand({ KeyId: key, GranteePrincipal: GRANTEE_ARN, Operations: ["Encrypt", "Decrypt", "DescribeKey"], Name: "app-grant" }));
  assert.equal(retry.GrantId, GrantId, "a named grant is idempotent");
  assert.notEqual(retry.GrantToken, GrantToken);

  const listed = await admin.send(new ListGrantsCommand({ KeyId: key }));
  assert.equal(listed.Grants?.length, 1);
  const entry = listed.Grants?.[0];
  assert.equal(entry?.GrantId, GrantId);
  assert.equal(entry?.KeyId, key);
  assert.equal(entry?.GranteePrincipal, GRANTEE_ARN);
  assert.equal(entry?.IssuingAccount, "arn:aws:iam::000000000000:root");
  assert.equal(entry?.Name, "app-grant");
  assert.deepEqual(entry?.Operations, ["Encrypt", "Decrypt", "DescribeKey"]);

  await admin.send(new RevokeGrantCommand({ KeyId: key, GrantId }));
  assert.equal((await rejection(() => grantee.send(new EncryptCommand({ KeyId: key, Plaintext: Buffer.from("x") })))).name, "AccessDeniedException");
  assert.equal((await rejection(() => admin.send(new RevokeGrantCommand({ KeyId: key, GrantId })))).name, "NotFoundException");
});

test("encryption context constraints: Equals needs the same context, Subset needs these pairs", async () => {
  const key = await newKey();
  await admin.send(
    new CreateGrantCommand({ KeyId: key, GranteePrincipal: GRANTEE_ARN, Operations: ["GenerateDataKey"], Constraints: { EncryptionContextSubset: { tenant: "acme" } } }),
  );
  await admin.send(
    new CreateGrantCommand({ KeyId: key, GranteePrincipal: GRANTEE_ARN, Operations: ["Decrypt"], Constraints: { EncryptionContextEquals: { tenant: "acme", purpose: "files" } } }),
  );
  const dataKey = await grantee.send(new GenerateDataKeyCommand({ KeyId: key, KeySpec: "AES_256", EncryptionContext: { tenant: "acme", purpose: "files" } }));
  // Constraint keys are case-insensitive, values case-sensitive (API reference, GrantConstraints).
  await grantee.send(new GenerateDataKeyCommand({ KeyId: key, KeySpec: "AES_256", EncryptionContext: { TENANT: "acme" } }));
  const refused: Array<Record<string, string>> = [{ tenant: "globex" }, { tenant: "ACME" }, {}];
  for (const EncryptionContext of refused) {
    assert.equal((await rejection(() => grantee.send(new GenerateDataKeyCommand({ KeyId: key, KeySpec: "AES_256", EncryptionContext })))).name, "AccessDeniedException");
  }
  await grantee.send(new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob, EncryptionContext: { tenant: "acme", purpose: "files" } }));
  const extra = await admin.send(new EncryptCommand({ KeyId: key, Plaintext: Buffer.from("x"), EncryptionContext: { tenant: "acme", purpose: "files", more: "1" } }));
  const denied = await rejection(() => grantee.send(new DecryptCommand({ CiphertextBlob: extra.CiphertextBlob, EncryptionContext: { tenant: "acme", purpose: "files", more: "1" } })));
  assert.equal(denied.name, "AccessDeniedException");
});

test("RetireGrant: by the retiring principal with a grant token, by the grantee only when allowed, by key and grant id", async () => {
  const key = await newKey();
  const byToken = await admin.send(new CreateGrantCommand({ KeyId: key, GranteePrincipal: GRANTEE_ARN, RetiringPrincipal: RETIREE_ARN, Operations: ["Encrypt"] }));
  assert.equal((await rejection(() => grantee.send(new RetireGrantCommand({ GrantToken: byToken.GrantToken })))).name, "AccessDeniedException");
  await retiree.send(new RetireGrantCommand({ GrantToken: byToken.GrantToken }));
  assert.equal((await admin.send(new ListGrantsCommand({ KeyId: key }))).Grants?.length, 0);

  const selfRetiring = await admin.send(new CreateGrantCommand({ KeyId: key, GranteePrincipal: GRANTEE_ARN, Operations: ["Encrypt", "RetireGrant"] }));
  await grantee.send(new RetireGrantCommand({ KeyId: key, GrantId: selfRetiring.GrantId }));
  assert.equal((await rejection(() => grantee.send(new RetireGrantCommand({ KeyId: key, GrantId: selfRetiring.GrantId })))).name, "NotFoundException");
  assert.equal((await rejection(() => retiree.send(new RetireGrantCommand({ GrantToken: "not-a-token" })))).name, "InvalidGrantTokenException");
});

test("a grant that allows CreateGrant delegates only its own operations under an equally strict constraint", async () => {
  const key = await newKey();
  await admin.send(
    new CreateGrantCommand({ KeyId: key, GranteePrincipal: GRANTEE_ARN, Operations: ["Decrypt", "CreateGrant"], Constraints: { EncryptionContextSubset: { tenant: "acme" } } }),
  );
  const wider = await rejection(() => grantee.send(new CreateGrantCommand({ KeyId: key, GranteePrincipal: RETIREE_ARN, Operations: ["Encrypt"], Constraints: { EncryptionContextSubset: { tenant: "acme" } } })));
  assert.equal(wider.name, "AccessDeniedException");
  const looser = await rejection(() => grantee.send(new CreateGrantCommand({ KeyId: key, GranteePrincipal: RETIREE_ARN, Operations: ["Decrypt"] })));
  assert.equal(looser.name, "AccessDeniedException");
  await grantee.send(new CreateGrantCommand({ KeyId: key, GranteePrincipal: RETIREE_ARN, Operations: ["Decrypt"], Constraints: { EncryptionContextEquals: { tenant: "acme", x: "1" } } }));
});

test("CreateGrant validates operations and principals", async () => {
  const key = await newKey();
  assert.equal((await rejection(() => admin.send(new CreateGrantCommand({ KeyId: key, GranteePrincipal: GRANTEE_ARN, Operations: ["Sign"] })))).name, "ValidationException");
  assert.equal((await rejection(() => admin.send(new CreateGrantCommand({ KeyId: key, GranteePrincipal: GRANTEE_ARN, Operations: [] })))).name, "ValidationException");
  assert.equal((await rejection(() => admin.send(new CreateGrantCommand({ KeyId: key, GranteePrincipal: "someone", Operations: ["Encrypt"] })))).name, "InvalidArnException");
});
