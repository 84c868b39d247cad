// Authentication failures as real SDK clients see them: each with the code and HTTP status AWS uses, per service.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ListKeysCommand } from "@aws-sdk/client-kms";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { FinalizeRequestMiddleware } from "@aws-sdk/types";
import { kmsClient, rejection, sessionCredentials, stsClient, type Credentials } from "./support/clients";
import { ADMIN, APP, ROLES } from "./support/demo-world";
import { forgeSessionToken } from "./support/forge-session";
import { startLocalAws, type LocalAws } from "./support/start-local-aws";

let aws: LocalAws;
let roleSession: Credentials;

before(async () => {
  aws = await startLocalAws();
  const assumed = await stsClient(aws.url, APP).send(
    new AssumeRoleCommand({ RoleArn: ROLES.acme.arn, RoleSessionName: "auth-test", ExternalId: ROLES.acme.externalId }),
  );
  roleSession = sessionCredentials(assumed);
});
after(async () => {
  await aws.stop();
});

async function expectBoth(credentials: Credentials, expected: { kms: [string, number]; sts: [string, number]; message: RegExp }, clockOffsetMs?: number) {
  const kmsError = await rejection(() => kmsClient(aws.url, credentials, clockOffsetMs).send(new ListKeysCommand({})));
  assert.equal(kmsError.name, expected.kms[0]);
  assert.equal(kmsError.$metadata?.httpStatusCode, expected.kms[1]);
  assert.match(kmsError.message, expected.message);
  const stsError = await rejection(() => stsClient(aws.url, credentials, clockOffsetMs).send(new GetCallerIdentityCommand({})));
  assert.equal(stsError.name, expected.sts[0]);
  assert.equal(stsError.$metadata?.httpStatusCode, expected.sts[1]);
  assert.match(stsError.message, expected.message);
  return { kmsError, stsError };
}

const MISMATCH = /^The request signature we calculated does not match the signature you provided\./;
const INVALID_TOKEN = /^The security token included in the request is invalid\.$/;

test("the admin example key pair authenticates with both services", async () => {
  const identity = await stsClient(aws.url, ADMIN).send(new GetCallerIdentityCommand({}));
  assert.equal(identity.Arn, "arn:aws:iam::000000000000:user/admin");
  await kmsClient(aws.url, ADMIN).send(new ListKeysCommand({}));
});

test("a wrong secret: InvalidSignatureException (KMS, 400) / SignatureDoesNotMatch (STS, 403)", async () => {
  await expectBoth({ ...ADMIN, secretAccessKey: "not-the-secret-of-this-key-at-all" }, { kms: ["InvalidSignatureException", 400], sts: ["SignatureDoesNotMatch", 403], message: MISMATCH });
});

/** Flips one hex digit of the signature after the SDK signed the request. */
function tamperSignature<I extends object, O extends object>(): FinalizeRequestMiddleware<I, O> {
  return (next) => async (args) => {
    const headers = (args.request as { headers: Record<string, string> }).headers;
    headers.authorization = (headers.authorization as string).replace(/Signature=([0-9a-f])/, (_, c: string) => `Signature=${c === "0" ? "1" : "0"}`);
    return next(args);
  };
}
const AFTER_SIGNING = { relation: "after", toMiddleware: "httpSigningMiddleware", name: "tamperSignature" } as const;

test("a signature altered after signing is refused", async () => {
  const kms = kmsClient(aws.url, ADMIN);
  kms.middlewareStack.addRelativeTo(tamperSignature(), AFTER_SIGNING);
  const kmsError = await rejection(() => kms.send(new ListKeysCommand({})));
  assert.equal(kmsError.name, "InvalidSignatureException");
  const sts = stsClient(aws.url, ADMIN);
  sts.middlewareStack.addRelativeTo(tamperSignature(), AFTER_SIGNING);
  const stsError = await rejection(() => sts.send(new GetCallerIdentityCommand({})));
  assert.equal(stsError.name, "SignatureDoesNotMatch");
  assert.equal(stsError.$metadata?.httpStatusCode, 403);
});

test("a clock 20 minutes behind or ahead is refused with AWS's 'Signature expired' / 'not yet current' message", async () => {
  await expectBoth(ADMIN, { kms: ["InvalidSignatureException", 400], sts: ["SignatureDoesNotMatch", 403], message: /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/ }, -20 * 60_000);
  await expectBoth(ADMIN, { kms: ["InvalidSignatureException", 400], sts: ["SignatureDoesNotMatch", 403], message: /^Signature not yet current: / }, 20 * 60_000);
  // Within the allowed skew the same client works.
  await stsClient(aws.url, ADMIN, -10 * 60_000).send(new GetCallerIdentityCommand({}));
});

test("an unknown access key id: UnrecognizedClientException (400) / InvalidClientTokenId (403)", async () => {
  await expectBoth({ accessKeyId: "AKIAUNKNOWNKEY000000", secretAccessKey: ADMIN.secretAccessKey }, { kms: ["UnrecognizedClientException", 400], sts: ["InvalidClientTokenId", 403], message: INVALID_TOKEN });
});

test("a temporary key without its session token, or with a tampered one, is an invalid token", async () => {
  const { sessionToken: _, ...withoutToken } = roleSession;
  await expectBoth(withoutToken, { kms: ["UnrecognizedClientException", 400], sts: ["InvalidClientTokenId", 403], message: INVALID_TOKEN });
  const token = roleSession.sessionToken as string;
  const middle = Math.floor(token.length / 2);
  const tampered = `${token.slice(0, middle)}${token[middle] === "A" ? "B" : "A"}${token.slice(middle + 1)}`;
  await expectBoth({ ...roleSession, sessionToken: tampered }, { kms: ["UnrecognizedClientException", 400], sts: ["InvalidClientTokenId", 403], message: INVALID_TOKEN });
});

test("another session's token with this access key id is an invalid token", async () => {
  const other = sessionCredentials(
    await stsClient(aws.url, APP).send(new AssumeRoleCommand({ RoleArn: ROLES.acme.arn, RoleSessionName: "other", ExternalId: ROLES.acme.externalId })),
  );
  await expectBoth({ ...roleSession, sessionToken: other.sessionToken }, { kms: ["UnrecognizedClientException", 400], sts: ["InvalidClientTokenId", 403], message: INVALID_TOKEN });
});

test("an expired session: ExpiredTokenException (400) / ExpiredToken (403)", async () => {
  const hourAgo = Date.now() - 3600_000;
  const accessKeyId = "ASIAEXPIREDSESSION01";
  const secretAccessKey = "expired-session-secret-0123456789";
  const sessionToken = forgeSessionToken(aws.stateDir as string, {
    kind: "role",
    accessKeyId,
    secretAccessKey,
    account: "111111111111",
    name: "keybridge-acme-uploader",
    roleSessionName: "expired",
    issuedAt: hourAgo - 900_000,
    expiresAt: hourAgo,
    tags: {},
    transitiveTagKeys: [],
    chained: false,
  });
  await expectBoth({ accessKeyId, secretAccessKey, sessionToken }, { kms: ["ExpiredTokenException", 400], sts: ["ExpiredToken", 403], message: /^The security token included in the request is expired$/ });
});

test("failed authentication is in the event log with the key id it claimed and the same request id", async () => {
  const error = await rejection(() => stsClient(aws.url, { accessKeyId: "AKIANOBODYHASTHISKEY", secretAccessKey: "whatever-whatever" }).send(new GetCallerIdentityCommand({})));
  const event = await aws.waitForEvent((e) => e.requestID === error.$metadata?.requestId);
  assert.equal(event.errorCode, "InvalidClientTokenId");
  assert.equal(event.eventSource, "sts.amazonaws.com");
  assert.equal(event.eventName, "GetCallerIdentity");
  assert.deepEqual(event.userIdentity, { type: "Unknown", accessKeyId: "AKIANOBODYHASTHISKEY" });
});
