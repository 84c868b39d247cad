import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { CloudTrailClient, LookupEventsCommand, type LookupEventsCommandInput, type Event as CloudTrailEvent } from "@aws-sdk/client-cloudtrail";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { DecryptCommand, GenerateDataKeyCommand } from "@aws-sdk/client-kms";
import { kmsClient, rejection, sessionCredentials, stsClient, type Credentials } from "./support/clients";
import { ADMIN, APP, EXCHANGE_KEY_ARN, REGION, ROLES } from "./support/demo-world";
import { startLocalAws, type LocalAws } from "./support/start-local-aws";

const stateDir = mkdtempSync(join(tmpdir(), "local-aws-cloudtrail-"));
let aws: LocalAws;
let acme: Credentials;
const requestIds: { generate?: string; decrypt?: string } = {};
const context = { "exchange-id": "5f1c7c7e-0000-4000-8000-000000000001", "sender-org": "acme", "recipient-org": "globex", purpose: "metadata" };

const cloudtrail = (credentials: Credentials) => new CloudTrailClient({ endpoint: aws.url, region: REGION, credentials, maxAttempts: 1 });

async function lookupAll(credentials: Credentials, input: LookupEventsCommandInput): Promise<CloudTrailEvent[]> {
  const events: CloudTrailEvent[] = [];
  let NextToken: string | undefined;
  do {
    const page = await cloudtrail(credentials).send(new LookupEventsCommand({ ...input, NextToken }));
    events.push(...(page.Events ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return events;
}

before(async () => {
  aws = await startLocalAws({ stateDir });
  const assumed = await stsClient(aws.url, APP).send(new AssumeRoleCommand({ RoleArn: ROLES.acme.arn, ExternalId: ROLES.acme.externalId, RoleSessionName: "trail-test" }));
  acme = sessionCredentials(assumed);
  const kms = kmsClient(aws.url, acme);
  const generated = await kms.send(new GenerateDataKeyCommand({ KeyId: EXCHANGE_KEY_ARN, KeySpec: "AES_256", EncryptionContext: context }));
  requestIds.generate = generated.$metadata.requestId;
  const decrypted = await kms.send(new DecryptCommand({ KeyId: EXCHANGE_KEY_ARN, CiphertextBlob: generated.CiphertextBlob, EncryptionContext: context }));
  requestIds.decrypt = decrypted.$metadata.requestId;
  await aws.waitForEvent((event) => event.requestID === requestIds.decrypt);
});

after(async () => {
  await aws?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

test("the app's service user looks up the key's events, newest first, with the full record and its request id", async () => {
  const events = await lookupAll(APP, { LookupAttributes: [{ AttributeKey: "ResourceName", AttributeValue: EXCHANGE_KEY_ARN }] });
  assert.deepEqual(events.slice(0, 2).map((event) => event.EventName), ["Decrypt", "GenerateDataKey"]);
  const [decrypt] = events;
  const record = JSON.parse(decrypt?.CloudTrailEvent ?? "{}") as { requestID: string; requestParameters: { encryptionContext: Record<string, string> }; userIdentity: { arn: string } };
  assert.equal(record.requestID, requestIds.decrypt);
  assert.deepEqual(record.requestParameters.encryptionContext, context);
  assert.equal(record.userIdentity.arn, "arn:aws:sts::111111111111:assumed-role/keybridge-acme-uploader/trail-test");
  assert.equal(decrypt?.Username, "trail-test");
  assert.equal(decrypt?.EventSource, "kms.amazonaws.com");
  assert.ok(decrypt?.EventTime instanceof Date);
  assert.deepEqual(decrypt?.Resources, [{ ResourceType: "AWS::KMS::Key", ResourceName: EXCHANGE_KEY_ARN }]);
  assert.ok(!(decrypt?.CloudTrailEvent ?? "").includes("Plaintext"), "no plaintext in a record");
});

test("pages of one event walk the whole history without repeats; an attribute and a time range narrow it", async () => {
  // LookupEvents calls are events too (as on AWS), so the comparison sticks to KMS's.
  const kmsOnly = { LookupAttributes: [{ AttributeKey: "EventSource" as const, AttributeValue: "kms.amazonaws.com" }] };
  const all = await lookupAll(APP, kmsOnly);
  const paged = await lookupAll(APP, { ...kmsOnly, MaxResults: 1 });
  assert.ok(all.length >= 2);
  assert.deepEqual(paged.map((event) => event.EventId), all.map((event) => event.EventId));
  const byName = await lookupAll(APP, { LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "GenerateDataKey" }] });
  assert.deepEqual(byName.map((event) => JSON.parse(event.CloudTrailEvent ?? "{}").requestID), [requestIds.generate]);
  const future = await lookupAll(APP, { StartTime: new Date(Date.now() + 3_600_000) });
  assert.deepEqual(future, []);
});

test("role sessions without cloudtrail:LookupEvents are refused, and bad input is named", async () => {
  const denied = await rejection(() => cloudtrail(acme).send(new LookupEventsCommand({})));
  assert.equal(denied.name, "AccessDeniedException");
  const tooMany = await rejection(() => cloudtrail(ADMIN).send(new LookupEventsCommand({ MaxResults: 51 })));
  assert.equal(tooMany.name, "InvalidMaxResultsException");
  const badRange = await rejection(() => cloudtrail(ADMIN).send(new LookupEventsCommand({ StartTime: new Date(2000), EndTime: new Date(1000) })));
  assert.equal(badRange.name, "InvalidTimeRangeException");
  const badKey = await rejection(() => cloudtrail(ADMIN).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "Nonsense" as "EventName", AttributeValue: "x" }] })));
  assert.equal(badKey.name, "InvalidLookupAttributesException");
});

test("after a restart over the same state, earlier events are still found", async () => {
  await aws.stop();
  aws = await startLocalAws({ stateDir });
  const events = await lookupAll(APP, { LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "Decrypt" }] });
  assert.ok(events.some((event) => JSON.parse(event.CloudTrailEvent ?? "{}").requestID === requestIds.decrypt));
});
