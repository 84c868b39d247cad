// The AWS CLI installed on this machine, pointed at local-aws with --endpoint-url and nothing else.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { ADMIN, APP, EXCHANGE_KEY_ARN, REGION, ROLES } from "./support/demo-world";
import { startLocalAws, type LocalAws } from "./support/start-local-aws";

let aws: LocalAws;
let dir: string;

before(async () => {
  aws = await startLocalAws();
  dir = mkdtempSync(join(tmpdir(), "local-aws-cli-"));
});
after(async () => {
  await aws.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface CliCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Runs `aws --endpoint-url URL ...` with only these credentials: no profile, config file or instance metadata. */
function cli(credentials: CliCredentials, args: string[]): string {
  return execFileSync("aws", ["--endpoint-url", aws.url, "--output", "json", ...args], {
    encoding: "utf8",
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      NODE_ENV: "test",
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      ...(credentials.sessionToken !== undefined ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
      AWS_DEFAULT_REGION: REGION,
      AWS_CONFIG_FILE: join(dir, "no-config"),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, "no-credentials"),
      AWS_EC2_METADATA_DISABLED: "true",
    },
  });
}

const json = <T>(text: string): T => JSON.parse(text) as T;
type Blobs = { KeyId: string; CiphertextBlob?: string; Plaintext?: string };

test("aws sts get-caller-identity with the documentation's example key pair", async () => {
  const identity = json<{ UserId: string; Account: string; Arn: string }>(cli(ADMIN, ["sts", "get-caller-identity"]));
  assert.deepEqual(identity, { UserId: identity.UserId, Account: "000000000000", Arn: "arn:aws:iam::000000000000:user/admin" });
  const event = await aws.waitForEvent((e) => e.eventName === "GetCallerIdentity" && e.userAgent.startsWith("aws-cli/"));
  assert.equal(event.userIdentity.arn, "arn:aws:iam::000000000000:user/admin");
});

test("aws kms create-key, encrypt --plaintext fileb:// and decrypt round-trip as the admin", async () => {
  const keyId = json<{ KeyMetadata: { KeyId: string } }>(cli(ADMIN, ["kms", "create-key", "--description", "cli test"])).KeyMetadata.KeyId;
  const plaintext = randomBytes(300);
  writeFileSync(join(dir, "plain.bin"), plaintext);
  const encrypted = json<Blobs>(cli(ADMIN, ["kms", "encrypt", "--key-id", keyId, "--plaintext", `fileb://${join(dir, "plain.bin")}`, "--encryption-context", "purpose=cli-test"]));
  writeFileSync(join(dir, "cipher.bin"), Buffer.from(encrypted.CiphertextBlob as string, "base64"));
  const decrypted = json<Blobs>(cli(ADMIN, ["kms", "decrypt", "--ciphertext-blob", `fileb://${join(dir, "cipher.bin")}`, "--encryption-context", "purpose=cli-test"]));
  assert.deepEqual(Buffer.from(decrypted.Plaintext as string, "base64"), plaintext);
  assert.equal(decrypted.KeyId, encrypted.KeyId);
  for (const name of ["CreateKey", "Encrypt", "Decrypt"]) await aws.waitForEvent((e) => e.eventName === name && e.userAgent.startsWith("aws-cli/") && !e.errorCode);
  assert.ok(!readFileSync(aws.eventLogPath as string, "utf8").includes(plaintext.toString("base64")), "no plaintext in the event log");
});

test("aws sts assume-role, then aws kms encrypt with the role session's credentials", async () => {
  const assumed = json<{ Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string }; AssumedRoleUser: { Arn: string } }>(
    cli(APP, [
      "sts", "assume-role",
      "--role-arn", ROLES.acme.arn,
      "--role-session-name", "cli-session",
      "--external-id", ROLES.acme.externalId,
      "--tags", "Key=kb-org,Value=acme", "Key=kb-mfa,Value=false",
      "--source-identity", "cli-person",
    ]),
  );
  assert.match(assumed.Credentials.AccessKeyId, /^ASIA/);
  assert.equal(assumed.AssumedRoleUser.Arn, "arn:aws:sts::111111111111:assumed-role/keybridge-acme-uploader/cli-session");
  const session = { accessKeyId: assumed.Credentials.AccessKeyId, secretAccessKey: assumed.Credentials.SecretAccessKey, sessionToken: assumed.Credentials.SessionToken };
  writeFileSync(join(dir, "name.txt"), "report.pdf");
  const context = "exchange-id=ex-cli,sender-org=acme,recipient-org=globex,purpose=metadata";
  const encrypted = json<Blobs>(cli(session, ["kms", "encrypt", "--key-id", "alias/keybridge-exchange", "--plaintext", `fileb://${join(dir, "name.txt")}`, "--encryption-context", context]));
  assert.equal(encrypted.KeyId, EXCHANGE_KEY_ARN);
  const event = await aws.waitForEvent((e) => e.eventName === "Encrypt" && e.userIdentity.accessKeyId === session.accessKeyId);
  assert.equal(event.userIdentity.sessionContext?.sourceIdentity, "cli-person");
  assert.equal(event.userIdentity.sessionContext?.sessionTags?.["kb-org"], "acme");
});
