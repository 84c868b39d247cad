// The Encryption SDK's flow, end to end through the endpoint: the app user assumes Acme's uploader role to
// encrypt a 20 MB stream with the KMS keyring, and Globex's downloader role (with MFA) to decrypt it. Every
// denial here is the endpoint's answer (AccessDeniedException from KMS, AccessDenied from STS).
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { after, before, describe, test } from "node:test";
import { AlgorithmSuiteIdentifier, buildClient, CommitmentPolicy, KmsKeyringNode, type MessageHeader } from "@aws-crypto/client-node";
import { KMS } from "@aws-sdk/client-kms";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { rejection, sessionCredentials, stsClient, type Credentials } from "./support/clients";
import { APP, EXCHANGE_KEY_ARN, REGION, ROLES } from "./support/demo-world";
import { startLocalAws, type LocalAws } from "./support/start-local-aws";

const { encryptStream, decryptUnsignedMessageStream } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
const SIZE = 20 * 1024 * 1024;
const FRAME = 1024 * 1024;
const CONTEXT = { "exchange-id": "ex-7f3c", "sender-org": "acme", "recipient-org": "globex", purpose: "file-content" };

let aws: LocalAws;
before(async () => {
  aws = await startLocalAws();
});
after(async () => {
  await aws.stop();
});

interface SessionOptions {
  role: keyof typeof ROLES;
  org: string;
  mfa: boolean;
  externalId?: string;
}

async function assume({ role, org, mfa, externalId }: SessionOptions): Promise<Credentials> {
  const response = await stsClient(aws.url, APP).send(
    new AssumeRoleCommand({
      RoleArn: ROLES[role].arn,
      RoleSessionName: `u-42-${role}`,
      ExternalId: externalId ?? ROLES[role].externalId,
      SourceIdentity: `u-42@${org}.example`,
      Tags: [
        { Key: "kb-user", Value: "u-42" },
        { Key: "kb-org", Value: org },
        { Key: "kb-mfa", Value: String(mfa) },
        { Key: "kb-mfa-at", Value: mfa ? String(Math.floor(Date.now() / 1000)) : "none" },
      ],
    }),
  );
  return sessionCredentials(response);
}

/** The keyring calls kms.generateDataKey/decrypt itself, so it needs the aggregated KMS client, not KMSClient. */
function keyring(credentials: Credentials): KmsKeyringNode {
  const kms = new KMS({ endpoint: aws.url, region: REGION, credentials, maxAttempts: 1 });
  return new KmsKeyringNode({ generatorKeyId: EXCHANGE_KEY_ARN, clientProvider: () => kms });
}

/** A sink as the last stage, so that the pipeline ends only after the transform's last chunk. */
function collector(chunks: Buffer[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
}

async function encrypt(credentials: Credentials, plaintext: Buffer, encryptionContext: Record<string, string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const source = Readable.from(
    (function* () {
      for (let offset = 0; offset < plaintext.length; offset += FRAME) yield plaintext.subarray(offset, offset + FRAME);
    })(),
  );
  const encrypting = encryptStream(keyring(credentials), { suiteId: AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY, encryptionContext, frameLength: FRAME });
  await pipeline(source, encrypting, collector(chunks));
  return Buffer.concat(chunks);
}

async function decrypt(credentials: Credentials, message: Buffer): Promise<{ plaintext: Buffer; context: Record<string, string> }> {
  const chunks: Buffer[] = [];
  let header: MessageHeader | undefined;
  const decrypting = decryptUnsignedMessageStream(keyring(credentials));
  decrypting.on("MessageHeader", (value: MessageHeader) => (header = value));
  await pipeline(Readable.from([message]), decrypting, collector(chunks));
  assert.ok(header);
  return { plaintext: Buffer.concat(chunks), context: { ...header.encryptionContext } };
}

async function endpointDenial(fn: () => Promise<unknown>): Promise<void> {
  const error = await rejection(fn);
  // The keyring wraps the KMS error; its stack names the endpoint's exception.
  assert.match(error.message, /AccessDeniedException/, error.message);
  assert.match(error.message, /is not authorized to perform: kms:Decrypt/);
}

describe("Encryption SDK with the KMS keyring and assumed roles", () => {
  const plaintext = randomBytes(SIZE);
  let message: Buffer;

  before(async () => {
    message = await encrypt(await assume({ role: "acme", org: "acme", mfa: true }), plaintext, CONTEXT);
  });

  test("Acme encrypts 20 MB; Globex with MFA decrypts it and the context is the one Acme set", async () => {
    assert.ok(message.length > SIZE);
    const { plaintext: decrypted, context } = await decrypt(await assume({ role: "globex", org: "globex", mfa: true }), message);
    assert.equal(createHash("sha256").update(decrypted).digest("hex"), createHash("sha256").update(plaintext).digest("hex"));
    for (const [name, value] of Object.entries(CONTEXT)) assert.equal(context[name], value, name);
    const generate = await aws.waitForEvent((e) => e.eventName === "GenerateDataKey" && e.userIdentity.arn?.includes("keybridge-acme-uploader") === true);
    assert.deepEqual(generate.requestParameters?.encryptionContext, { ...CONTEXT, ...(generate.requestParameters?.encryptionContext as object) });
    assert.equal(generate.responseElements, null);
    assert.deepEqual(generate.resources?.map((r) => r.ARN), [EXCHANGE_KEY_ARN]);
  });

  test("Acme's role may not decrypt file data keys", async () => {
    await endpointDenial(async () => decrypt(await assume({ role: "acme", org: "acme", mfa: true }), message));
  });

  test("Globex without kb-mfa=true is denied", async () => {
    await endpointDenial(async () => decrypt(await assume({ role: "globex", org: "globex", mfa: false }), message));
  });

  test("Globex is denied a message addressed to another recipient", async () => {
    const elsewhere = await encrypt(await assume({ role: "acme", org: "acme", mfa: true }), randomBytes(1024), { ...CONTEXT, "recipient-org": "initech" });
    await endpointDenial(async () => decrypt(await assume({ role: "globex", org: "globex", mfa: true }), elsewhere));
  });

  test("AssumeRole with the wrong ExternalId is denied by STS", async () => {
    const error = await rejection(() => assume({ role: "globex", org: "globex", mfa: true, externalId: ROLES.acme.externalId }));
    assert.equal(error.name, "AccessDenied");
    assert.equal(error.$metadata?.httpStatusCode, 403);
  });
});
