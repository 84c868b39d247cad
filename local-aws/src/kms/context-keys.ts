// The kms:* (and resource/request tag) condition keys of a request (KMS Developer Guide, "AWS KMS
// condition keys"). iam/ adds the global aws:* keys. kms:ViaService never appears: no AWS service calls
// this endpoint on a caller's behalf, and an absent key makes conditions on it behave as AWS does then.
import type { Caller, ConditionContext, Tags } from "../contracts";
import type { KeyStore } from "./key-store";
import type { EncryptionContext, KmsKey } from "./model";

export function callerContext(caller: Caller): ConditionContext {
  return { "kms:CallerAccount": [caller.accountId] };
}

/** Keys describing the KMS key the operation is authorized on. */
export function keyContext(store: KeyStore, key: KmsKey, requestAlias?: string): ConditionContext {
  const context: ConditionContext = {
    "kms:KeySpec": ["SYMMETRIC_DEFAULT"],
    "kms:KeyUsage": ["ENCRYPT_DECRYPT"],
    "kms:KeyOrigin": ["AWS_KMS"],
    "kms:MultiRegion": ["false"],
    "kms:ResourceAliases": store.aliasesFor(key.id).map((alias) => alias.name),
  };
  for (const [name, value] of Object.entries(key.tags)) context[`aws:ResourceTag/${name}`] = [value];
  if (requestAlias !== undefined) context["kms:RequestAlias"] = [requestAlias];
  return context;
}

export function encryptionContextContext(encryptionContext: EncryptionContext): ConditionContext {
  const context: ConditionContext = { "kms:EncryptionContextKeys": Object.keys(encryptionContext) };
  for (const [name, value] of Object.entries(encryptionContext)) context[`kms:EncryptionContext:${name}`] = [value];
  return context;
}

export function requestTagContext(tags: Tags): ConditionContext {
  const context: ConditionContext = { "aws:TagKeys": Object.keys(tags) };
  for (const [name, value] of Object.entries(tags)) context[`aws:RequestTag/${name}`] = [value];
  return context;
}
