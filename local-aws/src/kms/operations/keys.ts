import { randomUUID } from "node:crypto";
import { AwsError } from "../../contracts";
import { authorizeByIdentity, authorizeOnKey } from "../authorization";
import { newBackingKey } from "../ciphertext";
import { requestTagContext } from "../context-keys";
import { optionalBoolean, optionalEnum, optionalString, requiredString, type Input } from "../input";
import { keyMetadata } from "../key-metadata";
import { checkLockoutSafety, defaultKeyPolicy, parseKeyPolicy } from "../key-policy";
import { keyArnOf } from "../key-store";
import type { KmsKey } from "../model";
import { KEY_OR_ALIAS_ANY_ACCOUNT, type CallScope, type OperationResult } from "../operation";
import { paginate } from "../pagination";
import { checkTagLimit, readTags } from "../tags";

const DEFAULT_ROTATION_PERIOD_DAYS = 365;

function unsupported(what: string): AwsError {
  return new AwsError("UnsupportedOperationException", `local-aws supports only single-Region symmetric encryption keys with KMS-made key material (${what})`);
}

/** Everything but single-Region SYMMETRIC_DEFAULT keys with AWS_KMS origin is refused as unsupported, not as invalid. */
function requireSymmetricDefault(input: Input): void {
  const usage = optionalEnum(input, "KeyUsage", ["SIGN_VERIFY", "ENCRYPT_DECRYPT", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT", "ENCAPSULATE_DECAPSULATE"]);
  if (usage !== undefined && usage !== "ENCRYPT_DECRYPT") throw unsupported(`KeyUsage ${usage}`);
  for (const field of ["KeySpec", "CustomerMasterKeySpec"]) {
    const spec = optionalString(input, field);
    if (spec !== undefined && spec !== "SYMMETRIC_DEFAULT") throw unsupported(`${field} ${spec}`);
  }
  const origin = optionalEnum(input, "Origin", ["AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"]);
  if (origin !== undefined && origin !== "AWS_KMS") throw unsupported(`Origin ${origin}`);
  if (optionalString(input, "CustomKeyStoreId") !== undefined || optionalString(input, "XksKeyId") !== undefined) throw unsupported("custom key stores");
  if (optionalBoolean(input, "MultiRegion") === true) throw unsupported("multi-Region keys");
}

export function createKey(scope: CallScope, input: Input): OperationResult {
  const { call, caller, store, now } = scope;
  requireSymmetricDefault(input);
  const policyText = optionalString(input, "Policy", { min: 1 });
  const description = optionalString(input, "Description", { max: 8192 }) ?? "";
  const bypass = optionalBoolean(input, "BypassPolicyLockoutSafetyCheck") ?? false;
  const tags = readTags(input, "Tags");
  checkTagLimit(tags);

  const id = randomUUID();
  const arn = keyArnOf(store.region, caller.accountId, id);
  const requestContext = {
    "kms:KeySpec": ["SYMMETRIC_DEFAULT"],
    "kms:KeyUsage": ["ENCRYPT_DECRYPT"],
    "kms:KeyOrigin": ["AWS_KMS"],
    "kms:MultiRegion": ["false"],
    "kms:BypassPolicyLockoutSafetyCheck": [String(bypass)],
    ...requestTagContext(tags),
  };
  authorizeByIdentity(call, "kms:CreateKey", "*", caller.accountId, requestContext);
  if (Object.keys(tags).length > 0) authorizeByIdentity(call, "kms:TagResource", arn, caller.accountId, requestTagContext(tags));

  const text = policyText ?? defaultKeyPolicy(caller.accountId);
  const policy = parseKeyPolicy(text);
  if (policyText !== undefined && !bypass) checkLockoutSafety(call, arn, caller.accountId, policy, {});

  const key: KmsKey = {
    id,
    accountId: caller.accountId,
    arn,
    description,
    createdAt: now,
    state: "Enabled",
    policyText: text,
    policy,
    tags,
    backingKeys: [newBackingKey(now)],
    rotation: { enabled: false, periodInDays: DEFAULT_ROTATION_PERIOD_DAYS },
    grants: [],
  };
  store.addKey(key);
  store.commit();
  scope.touch(key);
  return { output: { KeyMetadata: keyMetadata(key) }, logOutput: true };
}

export function describeKey(scope: CallScope, input: Input): OperationResult {
  const { key, requestAlias } = scope.resolve(requiredString(input, "KeyId", { min: 1, max: 2048 }), KEY_OR_ALIAS_ANY_ACCOUNT);
  authorizeOnKey(scope.store, scope.call, key, "kms:DescribeKey", { requestAlias });
  return { output: { KeyMetadata: keyMetadata(key) } };
}

export function listKeys(scope: CallScope, input: Input): OperationResult {
  const { call, caller, store, now } = scope;
  authorizeByIdentity(call, "kms:ListKeys", "*", caller.accountId);
  const page = paginate(input, store.keysOf(caller.accountId, now), { defaultLimit: 100, maxLimit: 1000 });
  return { output: { Keys: page.items.map((key) => ({ KeyId: key.id, KeyArn: key.arn })), ...page.fields } };
}
