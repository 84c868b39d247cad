// Key management through @aws-sdk/client-kms against the real server, as the admin of account 000000000000.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  GetKeyPolicyCommand,
  ListAliasesCommand,
  ListKeyPoliciesCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAliasCommand,
  type KMSClient,
} from "@aws-sdk/client-kms";
import { createKey, rejection, startLocalAwsWithKms } from "./support/clients";
import { ADMIN, EXCHANGE_KEY_ARN, REGION } from "./support/demo-world";
import type { LocalAws } from "./support/start-local-aws";

const ACCOUNT = "000000000000";
let aws: LocalAws;
let kms: KMSClient;

before(async () => {
  ({ aws, kms } = await startLocalAwsWithKms(ADMIN));
});
after(() => aws.stop());

const newKey = (description = "test key") => createKey(kms, { Description: description });

const policyAllowing = (principal: string, actions: string | string[] = "kms:*") =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "only", Effect: "Allow", Principal: { AWS: principal }, Action: actions, Resource: "*" }] });

describe("CreateKey, DescribeKey, ListKeys", () => {
  test("creates a symmetric key with metadata like AWS's, and the default key policy", async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: "orders", Tags: [{ TagKey: "team", TagValue: "payments" }] }));
    assert.ok(KeyMetadata);
    assert.match(KeyMetadata.KeyId ?? "", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(KeyMetadata.Arn, `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KeyMetadata.KeyId}`);
    assert.equal(KeyMetadata.AWSAccountId, ACCOUNT);
    assert.equal(KeyMetadata.KeyState, "Enabled");
    assert.equal(KeyMetadata.Enabled, true);
    assert.equal(KeyMetadata.KeySpec, "SYMMETRIC_DEFAULT");
    assert.equal(KeyMetadata.KeyUsage, "ENCRYPT_DECRYPT");
    assert.deepEqual(KeyMetadata.EncryptionAlgorithms, ["SYMMETRIC_DEFAULT"]);
    assert.ok(KeyMetadata.CreationDate instanceof Date && Math.abs(KeyMetadata.CreationDate.getTime() - Date.now()) < 60_000);

    const policy = JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId: KeyMetadata.KeyId, PolicyName: "default" }))).Policy ?? "{}");
    assert.deepEqual(policy.Statement[0].Principal, { AWS: `arn:aws:iam::${ACCOUNT}:root` });
    assert.equal(policy.Statement[0].Action, "kms:*");
    const tags = await kms.send(new ListResourceTagsCommand({ KeyId: KeyMetadata.Arn }));
    assert.deepEqual(tags.Tags, [{ TagKey: "team", TagValue: "payments" }]);
  });

  test("DescribeKey takes a key id, key ARN, alias name or alias ARN", async () => {
    const key = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: "alias/describe-me", TargetKeyId: key.id }));
    for (const form of [key.id, key.arn, "alias/describe-me", `arn:aws:kms:${REGION}:${ACCOUNT}:alias/describe-me`]) {
      const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: form }));
      assert.equal(KeyMetadata?.Arn, key.arn, form);
    }
    assert.equal((await rejection(() => kms.send(new DescribeKeyCommand({ KeyId: "alias/no-such-alias" })))).name, "NotFoundException");
    assert.equal((await rejection(() => kms.send(new DescribeKeyCommand({ KeyId: "11111111-2222-3333-4444-555555555555" })))).name, "NotFoundException");
  });

  test("the admin cannot reach another account's key: the key policy names only that account", async () => {
    const error = await rejection(() => kms.send(new DescribeKeyCommand({ KeyId: EXCHANGE_KEY_ARN })));
    assert.equal(error.name, "AccessDeniedException");
    assert.match(error.message, /arn:aws:iam::000000000000:user\/admin is not authorized to perform: kms:DescribeKey/);
  });

  test("ListKeys pages with Limit, Marker, NextMarker and Truncated", async () => {
    for (let i = 0; i < 3; i++) await newKey(`page ${i}`);
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await kms.send(new ListKeysCommand({ Limit: 2, ...(marker && { Marker: marker }) }));
      assert.ok((page.Keys ?? []).length <= 2);
      for (const key of page.Keys ?? []) seen.push(key.KeyId ?? "");
      marker = page.Truncated ? page.NextMarker : undefined;
      if (page.Truncated) assert.ok(page.NextMarker);
      pages++;
    } while (marker);
    assert.ok(pages >= 2);
    assert.equal(new Set(seen).size, seen.length);
    assert.ok(seen.length >= 3);
    assert.equal((await rejection(() => kms.send(new ListKeysCommand({ Marker: "bogus" })))).name, "InvalidMarkerException");
    assert.equal((await rejection(() => kms.send(new ListKeysCommand({ Limit: 0 })))).name, "ValidationException");
  });

  test("unsupported key types are refused as unsupported", async () => {
    assert.equal((await rejection(() => kms.send(new CreateKeyCommand({ KeySpec: "RSA_2048", KeyUsage: "SIGN_VERIFY" })))).name, "UnsupportedOperationException");
  });
});

describe("aliases", () => {
  test("CreateAlias, ListAliases, UpdateAlias, DeleteAlias", async () => {
    const first = await newKey();
    const second = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: "alias/app/current", TargetKeyId: first.arn }));
    const duplicate = await rejection(() => kms.send(new CreateAliasCommand({ AliasName: "alias/app/current", TargetKeyId: second.id })));
    assert.equal(duplicate.name, "AlreadyExistsException");

    const listed = await kms.send(new ListAliasesCommand({ KeyId: first.id }));
    assert.equal(listed.Aliases?.length, 1);
    assert.equal(listed.Aliases?.[0]?.AliasName, "alias/app/current");
    assert.equal(listed.Aliases?.[0]?.AliasArn, `arn:aws:kms:${REGION}:${ACCOUNT}:alias/app/current`);
    assert.equal(listed.Aliases?.[0]?.TargetKeyId, first.id);

    await kms.send(new UpdateAliasCommand({ AliasName: "alias/app/current", TargetKeyId: second.id }));
    const { KeyId } = await kms.send(new EncryptCommand({ KeyId: "alias/app/current", Plaintext: Buffer.from("x") }));
    assert.equal(KeyId, second.arn);

    await kms.send(new DeleteAliasCommand({ AliasName: "alias/app/current" }));
    assert.equal((await rejection(() => kms.send(new DescribeKeyCommand({ KeyId: "alias/app/current" })))).name, "NotFoundException");
    assert.equal((await rejection(() => kms.send(new DeleteAliasCommand({ AliasName: "alias/app/current" })))).name, "NotFoundException");
  });

  test("alias names are checked, and management operations take no alias as KeyId", async () => {
    const key = await newKey();
    assert.equal((await rejection(() => kms.send(new CreateAliasCommand({ AliasName: "alias/aws/mine", TargetKeyId: key.id })))).name, "InvalidAliasNameException");
    assert.equal((await rejection(() => kms.send(new CreateAliasCommand({ AliasName: "noprefix", TargetKeyId: key.id })))).name, "InvalidAliasNameException");
    await kms.send(new CreateAliasCommand({ AliasName: "alias/not-for-admin-ops", TargetKeyId: key.id }));
    assert.equal((await rejection(() => kms.send(new DisableKeyCommand({ KeyId: "alias/not-for-admin-ops" })))).name, "NotFoundException");
    assert.equal((await rejection(() => kms.send(new GetKeyPolicyCommand({ KeyId: "alias/not-for-admin-ops" })))).name, "NotFoundException");
  });
});

describe("key states", () => {
  test("a disabled key refuses cryptographic use with DisabledException until enabled", async () => {
    const key = await newKey();
    await kms.send(new DisableKeyCommand({ KeyId: key.id }));
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: key.id }))).KeyMetadata?.KeyState, "Disabled");
    const error = await rejection(() => kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.from("x") })));
    assert.equal(error.name, "DisabledException");
    assert.equal(error.message, `${key.arn} is disabled.`);
    await kms.send(new EnableKeyCommand({ KeyId: key.arn }));
    await kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.from("x") }));
  });

  test("ScheduleKeyDeletion: 7..30 days, then KMSInvalidStateException; CancelKeyDeletion leaves it Disabled", async () => {
    const key = await newKey();
    assert.equal((await rejection(() => kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.id, PendingWindowInDays: 6 })))).name, "ValidationException");
    assert.equal((await rejection(() => kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.id, PendingWindowInDays: 31 })))).name, "ValidationException");
    const scheduled = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.id, PendingWindowInDays: 7 }));
    assert.equal(scheduled.KeyId, key.arn);
    assert.equal(scheduled.KeyState, "PendingDeletion");
    assert.equal(scheduled.PendingWindowInDays, 7);
    const days = ((scheduled.DeletionDate?.getTime() ?? 0) - Date.now()) / 86_400_000;
    assert.ok(days > 6.9 && days <= 7, `deletion in ${days} days`);

    const metadata = (await kms.send(new DescribeKeyCommand({ KeyId: key.id }))).KeyMetadata;
    assert.equal(metadata?.KeyState, "PendingDeletion");
    assert.equal(metadata?.DeletionDate?.getTime(), scheduled.DeletionDate?.getTime());
    for (const call of [
      () => kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.from("x") })),
      () => kms.send(new EnableKeyCommand({ KeyId: key.id })),
      () => kms.send(new TagResourceCommand({ KeyId: key.id, Tags: [{ TagKey: "a", TagValue: "b" }] })),
      () => kms.send(new CreateAliasCommand({ AliasName: "alias/doomed", TargetKeyId: key.id })),
    ]) {
      const error = await rejection(call);
      assert.equal(error.name, "KMSInvalidStateException");
      assert.equal(error.message, `${key.arn} is pending deletion.`);
    }

    assert.equal((await kms.send(new CancelKeyDeletionCommand({ KeyId: key.id }))).KeyId, key.arn);
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: key.id }))).KeyMetadata?.KeyState, "Disabled");
    assert.equal((await rejection(() => kms.send(new CancelKeyDeletionCommand({ KeyId: key.id })))).name, "KMSInvalidStateException");
  });
});

describe("key policies", () => {
  test("GetKeyPolicy, PutKeyPolicy and ListKeyPolicies use the one policy named default", async () => {
    const key = await newKey();
    assert.deepEqual((await kms.send(new ListKeyPoliciesCommand({ KeyId: key.id }))).PolicyNames, ["default"]);
    const policy = policyAllowing(`arn:aws:iam::${ACCOUNT}:user/admin`);
    await kms.send(new PutKeyPolicyCommand({ KeyId: key.id, PolicyName: "default", Policy: policy }));
    assert.equal((await kms.send(new GetKeyPolicyCommand({ KeyId: key.id }))).Policy, policy);
    assert.equal((await rejection(() => kms.send(new GetKeyPolicyCommand({ KeyId: key.id, PolicyName: "other" })))).name, "NotFoundException");
    assert.equal((await rejection(() => kms.send(new PutKeyPolicyCommand({ KeyId: key.id, Policy: "{not json" })))).name, "MalformedPolicyDocumentException");
  });

  test("the lockout safety check refuses a policy that would lock the caller out, unless bypassed", async () => {
    const lockout = policyAllowing("arn:aws:iam::111111111111:root");
    const created = await rejection(() => kms.send(new CreateKeyCommand({ Policy: lockout })));
    assert.equal(created.name, "MalformedPolicyDocumentException");
    assert.match(created.message, /will not allow you to update the key policy/);

    const key = await newKey();
    const put = await rejection(() => kms.send(new PutKeyPolicyCommand({ KeyId: key.id, Policy: lockout })));
    assert.equal(put.name, "MalformedPolicyDocumentException");
    const narrow = policyAllowing(`arn:aws:iam::${ACCOUNT}:root`, ["kms:Encrypt", "kms:DescribeKey"]);
    assert.equal((await rejection(() => kms.send(new PutKeyPolicyCommand({ KeyId: key.id, Policy: narrow })))).name, "MalformedPolicyDocumentException");

    await kms.send(new PutKeyPolicyCommand({ KeyId: key.id, Policy: lockout, BypassPolicyLockoutSafetyCheck: true }));
    const locked = await rejection(() => kms.send(new GetKeyPolicyCommand({ KeyId: key.id })));
    assert.equal(locked.name, "AccessDeniedException");
    const bypassed = await kms.send(new CreateKeyCommand({ Policy: lockout, BypassPolicyLockoutSafetyCheck: true }));
    assert.equal(bypassed.KeyMetadata?.KeyState, "Enabled");
  });
});

describe("tags", () => {
  test("TagResource, UntagResource and ListResourceTags", async () => {
    const key = await newKey();
    await kms.send(new TagResourceCommand({ KeyId: key.id, Tags: [{ TagKey: "a", TagValue: "1" }, { TagKey: "b", TagValue: "" }] }));
    await kms.send(new TagResourceCommand({ KeyId: key.arn, Tags: [{ TagKey: "a", TagValue: "2" }] }));
    assert.deepEqual((await kms.send(new ListResourceTagsCommand({ KeyId: key.id }))).Tags, [{ TagKey: "a", TagValue: "2" }, { TagKey: "b", TagValue: "" }]);
    await kms.send(new UntagResourceCommand({ KeyId: key.id, TagKeys: ["a"] }));
    const listed = await kms.send(new ListResourceTagsCommand({ KeyId: key.id, Limit: 1 }));
    assert.deepEqual(listed.Tags, [{ TagKey: "b", TagValue: "" }]);
    assert.equal(listed.Truncated, false);
    assert.equal((await rejection(() => kms.send(new TagResourceCommand({ KeyId: key.id, Tags: [{ TagKey: "aws:x", TagValue: "1" }] })))).name, "TagException");
  });
});

describe("requests AWS would reject", () => {
  test("missing members, unknown operations and bad KeyIds", async () => {
    const missing = await rejection(() => kms.send(new DescribeKeyCommand({ KeyId: undefined })));
    assert.equal(missing.name, "ValidationException");
    assert.equal(missing.$metadata?.httpStatusCode, 400);
    assert.equal((await rejection(() => kms.send(new DescribeKeyCommand({ KeyId: "arn:aws:kms:eu-west-1:000000000000:thing" })))).name, "InvalidArnException");
    assert.equal((await rejection(() => kms.send(new DescribeKeyCommand({ KeyId: "not-a-key" })))).name, "NotFoundException");
  });

  test("every call leaves a CloudTrail-shaped event naming the key", async () => {
    const key = await newKey("trail");
    await kms.send(new DisableKeyCommand({ KeyId: key.id }));
    const event = await aws.waitForEvent((e) => e.eventName === "DisableKey" && e.requestParameters?.keyId === key.id);
    assert.equal(event.eventSource, "kms.amazonaws.com");
    assert.deepEqual(event.resources?.map((r) => r.ARN), [key.arn]);
    assert.equal(event.responseElements, null);
    await rejection(() => kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.from("secret-plaintext") })));
    const failed = await aws.waitForEvent((e) => e.eventName === "Encrypt" && e.errorCode === "DisabledException" && e.requestParameters?.keyId === key.id);
    assert.deepEqual(failed.resources?.map((r) => r.ARN), [key.arn]);
    assert.doesNotMatch(JSON.stringify(aws.readEvents()), /c2VjcmV0LXBsYWludGV4dA|secret-plaintext/);
  });
});
