import { authorizeOnKey } from "../authorization";
import { requestTagContext } from "../context-keys";
import { optionalStringList, requiredString, validationError, type Input } from "../input";
import { requireNotPendingDeletion } from "../key-state";
import type { KmsKey } from "../model";
import { KEY_OWN_ACCOUNT, type CallScope, type OperationResult } from "../operation";
import { paginate } from "../pagination";
import { checkTagLimit, readTags } from "../tags";

function keyFor(scope: CallScope, input: Input, action: string, context = {}): KmsKey {
  const { key } = scope.resolve(requiredString(input, "KeyId", { min: 1, max: 2048 }), KEY_OWN_ACCOUNT);
  authorizeOnKey(scope.store, scope.call, key, action, { context });
  return key;
}

export function tagResource(scope: CallScope, input: Input): OperationResult {
  if (input.Tags === undefined || input.Tags === null) throw validationError("Tags", null, "Member must not be null");
  const tags = readTags(input, "Tags");
  const key = keyFor(scope, input, "kms:TagResource", requestTagContext(tags));
  requireNotPendingDeletion(key);
  const merged = { ...key.tags, ...tags };
  checkTagLimit(merged);
  key.tags = merged;
  scope.store.commit();
  return { output: {} };
}

export function untagResource(scope: CallScope, input: Input): OperationResult {
  const tagKeys = optionalStringList(input, "TagKeys");
  if (tagKeys === undefined) throw validationError("TagKeys", null, "Member must not be null");
  const key = keyFor(scope, input, "kms:UntagResource", { "aws:TagKeys": tagKeys });
  requireNotPendingDeletion(key);
  key.tags = Object.fromEntries(Object.entries(key.tags).filter(([name]) => !tagKeys.includes(name)));
  scope.store.commit();
  return { output: {} };
}

export function listResourceTags(scope: CallScope, input: Input): OperationResult {
  const key = keyFor(scope, input, "kms:ListResourceTags");
  const page = paginate(input, Object.entries(key.tags), { defaultLimit: 50, maxLimit: 50 });
  return { output: { Tags: page.items.map(([TagKey, TagValue]) => ({ TagKey, TagValue })), ...page.fields } };
}
