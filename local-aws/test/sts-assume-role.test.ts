// AssumeRole, GetSessionToken and GetCallerIdentity through @aws-sdk/client-sts, against the demo world plus a few
// test roles: trust, ExternalId, session tags, source identity, durations, chaining, session policies and MFA.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DescribeKeyCommand, GenerateDataKeyCommand } from "@aws-sdk/client-kms";
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, type AssumeRoleCommandInput } from "@aws-sdk/client-sts";
import * as OTPAuth from "otpauth";
import { kmsClient, rejection, sessionCredentials, stsClient, type Credentials } from "./support/clients";
import { ADMIN, APP, APP_USER_ARN, EXCHANGE_KEY_ARN, ROLES, demoWorld } from "./support/demo-world";
import { startLocalAws, type LocalAws } from "./support/start-local-aws";

const MFA_SERIAL = "arn:aws:iam::111111111111:mfa/keybridge-app";
const MFA_SECRET = new OTPAuth.Secret({ size: 20 }).base32;
const ACCOUNT = "111111111111";
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const appPrincipal = { AWS: APP_USER_ARN };

function testWorld() {
  const world = demoWorld();
  const app = world.users.find((u) => u.name === "keybridge-app");
  assert.ok(app);
  app.mfaDevices = [{ serialNumber: MFA_SERIAL, secret: MFA_SECRET }];
  app.policies.push({ name: "test-roles", document: { Statement: [{ Effect: "Allow", Action: "sts:*", Resource: role("test-*") }] } });
  world.roles.push(
    {
      account: ACCOUNT,
      name: "test-mfa-required",
      maxSessionDuration: 43200,
      trustPolicy: { Statement: [{ Sid: "OnlyWithMfa", Effect: "Allow", Principal: appPrincipal, Action: "sts:AssumeRole", Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } }] },
      policies: [],
    },
    {
      account: ACCOUNT,
      name: "test-no-tagging",
      maxSessionDuration: 7200,
      trustPolicy: { Statement: [{ Sid: "AssumeOnly", Effect: "Allow", Principal: appPrincipal, Action: "sts:AssumeRole" }] },
      policies: [],
    },
    {
      account: ACCOUNT,
      name: "test-chain-target",
      maxSessionDuration: 43200,
      trustPolicy: {
        Statement: [{ Sid: "AcmeUploaderChainsHere", Effect: "Allow", Principal: { AWS: ROLES.acme.arn }, Action: ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"] }],
      },
      policies: [],
    },
  );
  return world;
}

let aws: LocalAws;
before(async () => {
  aws = await startLocalAws({ world: testWorld() });
});
after(async () => {
  await aws.stop();
});

const totp = (offsetMs = 0) => OTPAuth.TOTP.generate({ secret: OTPAuth.Secret.fromBase32(MFA_SECRET), timestamp: Date.now() + offsetMs });
const APP_TAGS = [
  { Key: "kb-user", Value: "u-123" },
  { Key: "kb-org", Value: "acme" },
  { Key: "kb-mfa", Value: "false" },
  { Key: "kb-mfa-at", Value: "none" },
];

function assumeAcme(overrides: Partial<AssumeRoleCommandInput> = {}, credentials: Credentials = APP) {
  return stsClient(aws.url, credentials).send(
    new AssumeRoleCommand({ RoleArn: ROLES.acme.arn, RoleSessionName: "alice@acme.example", ExternalId: ROLES.acme.externalId, ...overrides }),
  );
}

async function denied(fn: () => Promise<unknown>, code = "AccessDenied", status = 403) {
  const error = await rejection(fn);
  assert.equal(error.name, code, error.message);
  assert.equal(error.$metadata?.httpStatusCode, status);
  return error;
}

describe("trust policies and ExternalId", () => {
  test("the app assumes each organization's role with its ExternalId, tags and source identity, as the app does", async () => {
    for (const { arn, externalId } of Object.values(ROLES)) {
      const response = await stsClient(aws.url, APP).send(
        new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: "alice@acme.example", ExternalId: externalId, SourceIdentity: "alice@acme.example", Tags: APP_TAGS, DurationSeconds: 900 }),
      );
      const credentials = sessionCredentials(response);
      assert.match(credentials.accessKeyId, /^ASIA[A-Z2-7]{16}$/);
      const roleName = arn.split("/").pop() as string;
      const account = arn.split(":")[4];
      assert.equal(response.AssumedRoleUser?.Arn, `arn:aws:sts::${account}:assumed-role/${roleName}/alice@acme.example`);
      assert.match(response.AssumedRoleUser?.AssumedRoleId ?? "", /^AROA[A-Z2-7]{17}:alice@acme\.example$/);
      assert.equal(response.SourceIdentity, "alice@acme.example");
      assert.ok(typeof response.PackedPolicySize === "number");
      const expiresIn = (response.Credentials?.Expiration?.getTime() ?? 0) - Date.now();
      assert.ok(expiresIn > 890_000 && expiresIn <= 900_000, `expires in ${expiresIn} ms`);
      const identity = await stsClient(aws.url, credentials).send(new GetCallerIdentityCommand({}));
      assert.equal(identity.Arn, response.AssumedRoleUser?.Arn);
      assert.equal(identity.UserId, response.AssumedRoleUser?.AssumedRoleId);
      assert.equal(identity.Account, account);
    }
  });

  test("a wrong or missing ExternalId is denied with AWS's message", async () => {
    const error = await denied(() => assumeAcme({ ExternalId: ROLES.globex.externalId }));
    assert.equal(error.message, `User: ${APP_USER_ARN} is not authorized to perform: sts:AssumeRole on resource: ${ROLES.acme.arn}`);
    await denied(() => assumeAcme({ ExternalId: undefined }));
  });

  test("a principal the trust policy does not name is denied, and so is a role that does not exist", async () => {
    await denied(() => assumeAcme({}, ADMIN));
    await denied(() => assumeAcme({ RoleArn: role("no-such-role") }));
  });
});

describe("session tags and source identity", () => {
  test("tags need sts:TagSession, and the demo roles allow only the app's four tag keys", async () => {
    await assumeAcme({ Tags: APP_TAGS, TransitiveTagKeys: ["kb-org"] });
    await denied(() => assumeAcme({ Tags: [...APP_TAGS, { Key: "team", Value: "x" }] }));
    await stsClient(aws.url, APP).send(new AssumeRoleCommand({ RoleArn: role("test-no-tagging"), RoleSessionName: "plain" }));
    const error = await denied(() => stsClient(aws.url, APP).send(new AssumeRoleCommand({ RoleArn: role("test-no-tagging"), RoleSessionName: "tagged", Tags: APP_TAGS })));
    assert.match(error.message, /sts:TagSession/);
  });

  test("tag limits and duplicates are validation errors", async () => {
    const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
    await denied(() => assumeAcme({ Tags: many }), "ValidationError", 400);
    await denied(() => assumeAcme({ Tags: [{ Key: "kb-org", Value: "a" }, { Key: "KB-ORG", Value: "b" }] }), "InvalidParameterValue", 400);
    await denied(() => assumeAcme({ Tags: APP_TAGS, TransitiveTagKeys: ["not-a-tag"] }), "InvalidParameterValue", 400);
  });

  test("a source identity needs sts:SetSourceIdentity and shows in every event of the session", async () => {
    await denied(() => stsClient(aws.url, APP).send(new AssumeRoleCommand({ RoleArn: role("test-no-tagging"), RoleSessionName: "si", SourceIdentity: "alice" })));
    const credentials = sessionCredentials(await assumeAcme({ SourceIdentity: "alice", Tags: APP_TAGS }));
    const identity = await stsClient(aws.url, credentials).send(new GetCallerIdentityCommand({}));
    const event = await aws.waitForEvent((e) => e.requestID === identity.$metadata.requestId);
    assert.equal(event.userIdentity.sessionContext?.sourceIdentity, "alice");
    assert.equal(event.userIdentity.sessionContext?.sessionTags?.["kb-org"], "acme");
    assert.equal(event.userIdentity.sessionContext?.attributes?.mfaAuthenticated, "false");
    assert.equal(event.userIdentity.sessionContext?.sessionIssuer.arn, ROLES.acme.arn);
  });

  test("role session names and source identities follow STS's pattern and length", async () => {
    await denied(() => assumeAcme({ RoleSessionName: "a" }), "ValidationError", 400);
    await denied(() => assumeAcme({ RoleSessionName: "has space" }), "ValidationError", 400);
    await denied(() => assumeAcme({ RoleSessionName: "x".repeat(65) }), "ValidationError", 400);
    await denied(() => assumeAcme({ SourceIdentity: "aws:me" }), "ValidationError", 400);
  });
});

describe("durations and role chaining", () => {
  test("DurationSeconds is 900..the role's MaxSessionDuration", async () => {
    await denied(() => assumeAcme({ DurationSeconds: 899 }), "ValidationError", 400);
    const overMax = await denied(() => assumeAcme({ DurationSeconds: 3601 }), "ValidationError", 400);
    assert.equal(overMax.message, "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
    await denied(() => assumeAcme({ DurationSeconds: 43201 }), "ValidationError", 400);
    const long = await stsClient(aws.url, APP).send(new AssumeRoleCommand({ RoleArn: role("test-no-tagging"), RoleSessionName: "long", DurationSeconds: 7200 }));
    assert.ok((long.Credentials?.Expiration?.getTime() ?? 0) - Date.now() > 7100_000);
  });

  test("a role session may assume another role for at most an hour, and carries transitive tags and its source identity", async () => {
    const first = sessionCredentials(await assumeAcme({ Tags: APP_TAGS, TransitiveTagKeys: ["kb-org", "kb-user"], SourceIdentity: "alice" }));
    const chain = (input: Partial<AssumeRoleCommandInput>) =>
      stsClient(aws.url, first).send(new AssumeRoleCommand({ RoleArn: role("test-chain-target"), RoleSessionName: "chained", ...input }));
    const overHour = await denied(() => chain({ DurationSeconds: 3601 }), "ValidationError", 400);
    assert.equal(overHour.message, "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
    await denied(() => chain({ Tags: [{ Key: "kb-org", Value: "globex" }] }), "InvalidParameterValue", 400);
    await denied(() => chain({ SourceIdentity: "mallory" }), "ValidationError", 400);

    const second = await chain({ DurationSeconds: 3600, Tags: [{ Key: "step", Value: "two" }] });
    assert.equal(second.SourceIdentity, "alice");
    const identity = await stsClient(aws.url, sessionCredentials(second)).send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/test-chain-target/chained`);
    const event = await aws.waitForEvent((e) => e.requestID === identity.$metadata.requestId);
    assert.deepEqual(event.userIdentity.sessionContext?.sessionTags, { "kb-org": "acme", "kb-user": "u-123", step: "two" });
    assert.equal(event.userIdentity.sessionContext?.sourceIdentity, "alice");
  });
});

describe("session policies", () => {
  test("an inline session policy narrows what the role session may do in KMS", async () => {
    const context = { "exchange-id": "ex-1", "sender-org": "acme", "recipient-org": "globex", purpose: "file-content" };
    const full = sessionCredentials(await assumeAcme());
    await kmsClient(aws.url, full).send(new GenerateDataKeyCommand({ KeyId: EXCHANGE_KEY_ARN, KeySpec: "AES_256", EncryptionContext: context }));

    const Policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "DescribeOnly", Effect: "Allow", Action: "kms:DescribeKey", Resource: "*" }] });
    const narrowed = sessionCredentials(await assumeAcme({ Policy }));
    await kmsClient(aws.url, narrowed).send(new DescribeKeyCommand({ KeyId: EXCHANGE_KEY_ARN }));
    const error = await denied(
      () => kmsClient(aws.url, narrowed).send(new GenerateDataKeyCommand({ KeyId: EXCHANGE_KEY_ARN, KeySpec: "AES_256", EncryptionContext: context })),
      "AccessDeniedException",
      400,
    );
    assert.match(error.message, /kms:GenerateDataKey/);
  });

  test("a session policy that is not a policy is MalformedPolicyDocument", async () => {
    await denied(() => assumeAcme({ Policy: "{not json" }), "MalformedPolicyDocumentException", 400);
    await denied(() => assumeAcme({ Policy: JSON.stringify({ Statement: [{ Effect: "Maybe", Action: "*" }] }) }), "MalformedPolicyDocumentException", 400);
  });
});

describe("MFA", () => {
  const assumeMfaRole = (credentials: Credentials, mfa: { SerialNumber?: string; TokenCode?: string } = {}) =>
    stsClient(aws.url, credentials).send(new AssumeRoleCommand({ RoleArn: role("test-mfa-required"), RoleSessionName: "with-mfa", ...mfa }));

  test("AssumeRole checks a TOTP code against the calling user's device, and the session carries MFA", async () => {
    await denied(() => assumeMfaRole(APP));
    const wrong = await denied(() => assumeMfaRole(APP, { SerialNumber: MFA_SERIAL, TokenCode: totp() === "000000" ? "111111" : "000000" }));
    assert.equal(wrong.message, "MultiFactorAuthentication failed with invalid MFA one time pass code.");
    await denied(() => assumeMfaRole(APP, { SerialNumber: "arn:aws:iam::111111111111:mfa/someone-else", TokenCode: totp() }));
    await denied(() => assumeMfaRole(APP, { SerialNumber: MFA_SERIAL, TokenCode: totp(-120_000) }));

    const session = sessionCredentials(await assumeMfaRole(APP, { SerialNumber: MFA_SERIAL, TokenCode: totp(-30_000) }));
    const identity = await stsClient(aws.url, session).send(new GetCallerIdentityCommand({}));
    const event = await aws.waitForEvent((e) => e.requestID === identity.$metadata.requestId);
    assert.equal(event.userIdentity.sessionContext?.attributes?.mfaAuthenticated, "true");
  });

  test("GetSessionToken with MFA gives user credentials that carry MFA into AssumeRole", async () => {
    const response = await stsClient(aws.url, APP).send(new GetSessionTokenCommand({ SerialNumber: MFA_SERIAL, TokenCode: totp(), DurationSeconds: 900 }));
    const userSession = sessionCredentials(response);
    assert.match(userSession.accessKeyId, /^ASIA/);
    const identity = await stsClient(aws.url, userSession).send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Arn, APP_USER_ARN);
    assert.match(identity.UserId ?? "", /^AIDA[A-Z2-7]{17}$/);
    await assumeMfaRole(userSession);

    const withoutMfa = sessionCredentials(await stsClient(aws.url, APP).send(new GetSessionTokenCommand({})));
    const expiresIn = (await stsClient(aws.url, APP).send(new GetSessionTokenCommand({}))).Credentials?.Expiration?.getTime() ?? 0;
    assert.ok(expiresIn - Date.now() > 43100_000, "GetSessionToken defaults to 12 hours");
    await denied(() => assumeMfaRole(withoutMfa));
    await denied(() => stsClient(aws.url, userSession).send(new GetSessionTokenCommand({})));
    await denied(() => stsClient(aws.url, APP).send(new GetSessionTokenCommand({ DurationSeconds: 899 })), "ValidationError", 400);
    await denied(() => stsClient(aws.url, APP).send(new GetSessionTokenCommand({ DurationSeconds: 129601 })), "ValidationError", 400);
  });
});

test("GetCallerIdentity answers for a user without any permission, as AWS does", async () => {
  const identity = await stsClient(aws.url, APP).send(new GetCallerIdentityCommand({}));
  assert.deepEqual([identity.Account, identity.Arn], [ACCOUNT, APP_USER_ARN]);
});

test("every AssumeRole, allowed or denied, is in the event log without secrets", async () => {
  const error = await denied(() => assumeAcme({ ExternalId: "wrong-external-id" }));
  const deniedEvent = await aws.waitForEvent((e) => e.requestID === error.$metadata?.requestId);
  assert.equal(deniedEvent.errorCode, "AccessDenied");
  assert.equal((deniedEvent.requestParameters as Record<string, unknown>).externalId, "wrong-external-id");
  assert.deepEqual(deniedEvent.resources, [{ ARN: ROLES.acme.arn, accountId: ACCOUNT, type: "AWS::IAM::Role" }]);

  const ok = await assumeAcme();
  const event = await aws.waitForEvent((e) => e.requestID === ok.$metadata.requestId);
  assert.equal(event.eventName, "AssumeRole");
  assert.equal(event.userIdentity.arn, APP_USER_ARN);
  const line = JSON.stringify(event);
  assert.ok(!line.includes(ok.Credentials?.SecretAccessKey as string));
  assert.ok(!line.includes(ok.Credentials?.SessionToken as string));
  assert.equal((event.responseElements as { credentials: { accessKeyId: string } }).credentials.accessKeyId, ok.Credentials?.AccessKeyId);
});
