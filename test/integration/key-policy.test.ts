import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, before, test } from "node:test";
import { buildClient, CommitmentPolicy, KmsKeyringNode } from "@aws-crypto/client-node";
import { KMS } from "@aws-sdk/client-kms";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { waitFor } from "../support/bytes";
import { APP_ACCESS_KEY_ID, APP_SECRET_ACCESS_KEY, EXCHANGE_KEY_ARN, REGION, startStack, type Stack } from "../support/stack";
import { WebClient } from "../support/web-client";

// The app's own checks are bypassed here on purpose: these calls go straight to local-aws with each organization's
// role, so every refusal below comes from the key policy, as it would from AWS.
let stack: Stack;
let blob: Buffer;
let exchangeId: string;

before(async () => {
  stack = await startStack();
  const alice = await WebClient.signedIn(stack.appUrl, "alice@acme.example");
  const content = randomBytes(3000);
  const uploaded = await alice.upload({ recipientOrg: "globex", fileName: "policy.bin", content, size: content.length });
  assert.equal(uploaded.status, 200);
  exchangeId = uploaded.body.exchangeId as string;
  const dir = join(stack.dataDir, "blobs");
  // Two blobs: the file's one part and its manifest (a few hundred bytes); the part is the larger.
  const [name] = readdirSync(dir)
    .filter((entry) => !entry.startsWith(".") && statSync(join(dir, entry)).isFile())
    .sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size);
  blob = readFileSync(join(dir, name as string));
});

after(async () => {
  await stack?.stop();
});

const ROLES = {
  acme: { arn: "arn:aws:iam::111111111111:role/keybridge-acme-uploader", externalId: "keybridge-acme-7f3c2a", org: "acme" },
  globex: { arn: "arn:aws:iam::222222222222:role/keybridge-globex-downloader", externalId: "keybridge-globex-41d9e6", org: "globex" },
} as const;

async function kmsAs(role: keyof typeof ROLES, mfa: boolean, sessionName: string): Promise<KMS> {
  const sts = new STSClient({ region: REGION, endpoint: stack.localAwsUrl, credentials: { accessKeyId: APP_ACCESS_KEY_ID, secretAccessKey: APP_SECRET_ACCESS_KEY } });
  const { arn, externalId, org } = ROLES[role];
  const assumed = await sts.send(
    new AssumeRoleCommand({
      RoleArn: arn,
      ExternalId: externalId,
      RoleSessionName: sessionName,
      Tags: [
        { Key: "kb-user", Value: "test" },
        { Key: "kb-org", Value: org },
        { Key: "kb-mfa", Value: String(mfa) },
        { Key: "kb-mfa-at", Value: mfa ? String(Math.floor(Date.now() / 1000)) : "none" },
      ],
    }),
  );
  const credentials = assumed.Credentials;
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken) throw new Error("no credentials");
  return new KMS({
    region: REGION,
    endpoint: stack.localAwsUrl,
    credentials: { accessKeyId: credentials.AccessKeyId, secretAccessKey: credentials.SecretAccessKey, sessionToken: credentials.SessionToken },
  });
}

async function decryptStoredBlob(kms: KMS): Promise<Buffer> {
  const { decryptUnsignedMessageStream } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
  const keyring = new KmsKeyringNode({ generatorKeyId: EXCHANGE_KEY_ARN, clientProvider: () => kms });
  const chunks: Buffer[] = [];
  for await (const chunk of Readable.from([blob]).pipe(decryptUnsignedMessageStream(keyring))) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const cases: Array<[string, keyof typeof ROLES, boolean, "allowed" | "denied"]> = [
  ["Acme's uploader role, even with MFA evidence, cannot decrypt the file's data key", "acme", true, "denied"],
  ["Globex's downloader role without MFA evidence cannot decrypt it", "globex", false, "denied"],
  ["Globex's downloader role with MFA evidence decrypts it", "globex", true, "allowed"],
];

for (const [name, role, mfa, expected] of cases) {
  test(name, async () => {
    const sessionName = `policy-${role}-${mfa}`;
    const kms = await kmsAs(role, mfa, sessionName);
    if (expected === "allowed") {
      assert.equal((await decryptStoredBlob(kms)).length, 3000);
      return;
    }
    await assert.rejects(decryptStoredBlob(kms));
    const denied = await waitFor(
      () => stack.awsEvents().find((event) => event.eventName === "Decrypt" && String(event.userIdentity?.arn).endsWith(`/${sessionName}`)),
      `the Decrypt of ${sessionName} in local-aws's event log`,
    );
    assert.equal(denied.errorCode, "AccessDeniedException");
    assert.equal(denied.requestParameters?.encryptionContext?.["exchange-id"], exchangeId);
  });
}
