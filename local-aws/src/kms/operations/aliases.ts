import { AwsError } from "../../contracts";
import { authorizeByIdentity, authorizeOnKey } from "../authorization";
import { requiredString, optionalString, type Input } from "../input";
import { aliasArnOf } from "../key-store";
import { requireNotPendingDeletion } from "../key-state";
import type { Alias } from "../model";
import { KEY_OWN_ACCOUNT, type CallScope, type OperationResult } from "../operation";
import { paginate } from "../pagination";
import { epochSeconds } from "../wire";

const ALIAS_NAME = /^alias\/[a-zA-Z0-9/_-]+$/;

function aliasName(input: Input): string {
  const name = requiredString(input, "AliasName", { min: 1, max: 256 });
  if (!ALIAS_NAME.test(name)) throw new AwsError("InvalidAliasNameException", `Alias name ${name} must begin with alias/ followed by letters, digits, /, _ or -`);
  if (name.startsWith("alias/aws/")) throw new AwsError("InvalidAliasNameException", `Alias name ${name} is reserved: alias/aws/ names belong to AWS managed keys`);
  return name;
}

function existingAlias(scope: CallScope, name: string): Alias {
  const alias = scope.store.alias(scope.caller.accountId, name);
  if (!alias) throw new AwsError("NotFoundException", `Alias ${aliasArnOf(scope.store.region, scope.caller.accountId, name)} is not found.`);
  return alias;
}

/** Alias operations need the action on the alias (identity policies) and on each key involved (key policies). */
function authorizeAlias(scope: CallScope, action: string, name: string): void {
  authorizeByIdentity(scope.call, action, aliasArnOf(scope.store.region, scope.caller.accountId, name), scope.caller.accountId);
}

export function createAlias(scope: CallScope, input: Input): OperationResult {
  const name = aliasName(input);
  const { key } = scope.resolve(requiredString(input, "TargetKeyId", { min: 1, max: 2048 }), KEY_OWN_ACCOUNT);
  authorizeAlias(scope, "kms:CreateAlias", name);
  authorizeOnKey(scope.store, scope.call, key, "kms:CreateAlias");
  requireNotPendingDeletion(key);
  if (scope.store.alias(scope.caller.accountId, name)) {
    throw new AwsError("AlreadyExistsException", `An alias with the name ${aliasArnOf(scope.store.region, scope.caller.accountId, name)} already exists`);
  }
  scope.store.putAlias({ name, accountId: scope.caller.accountId, targetKeyId: key.id, createdAt: scope.now, updatedAt: scope.now });
  scope.store.commit();
  return { output: {} };
}

export function updateAlias(scope: CallScope, input: Input): OperationResult {
  const name = aliasName(input);
  const alias = existingAlias(scope, name);
  const { key: target } = scope.resolve(requiredString(input, "TargetKeyId", { min: 1, max: 2048 }), KEY_OWN_ACCOUNT);
  authorizeAlias(scope, "kms:UpdateAlias", name);
  const current = scope.store.key(alias.targetKeyId, scope.now);
  if (current) {
    scope.touch(current);
    authorizeOnKey(scope.store, scope.call, current, "kms:UpdateAlias");
  }
  authorizeOnKey(scope.store, scope.call, target, "kms:UpdateAlias");
  requireNotPendingDeletion(target);
  alias.targetKeyId = target.id;
  alias.updatedAt = scope.now;
  scope.store.commit();
  return { output: {} };
}

export function deleteAlias(scope: CallScope, input: Input): OperationResult {
  const name = requiredString(input, "AliasName", { min: 1, max: 256 });
  const alias = existingAlias(scope, name);
  authorizeAlias(scope, "kms:DeleteAlias", name);
  const key = scope.store.key(alias.targetKeyId, scope.now);
  if (key) {
    scope.touch(key);
    authorizeOnKey(scope.store, scope.call, key, "kms:DeleteAlias");
  }
  scope.store.deleteAlias(alias);
  scope.store.commit();
  return { output: {} };
}

export function listAliases(scope: CallScope, input: Input): OperationResult {
  const keyId = optionalString(input, "KeyId", { min: 1, max: 2048 });
  const target = keyId === undefined ? undefined : scope.resolve(keyId, KEY_OWN_ACCOUNT).key;
  authorizeByIdentity(scope.call, "kms:ListAliases", "*", scope.caller.accountId);
  const aliases = scope.store
    .aliasesOf(scope.caller.accountId)
    .filter((alias) => (target === undefined || alias.targetKeyId === target.id) && scope.store.key(alias.targetKeyId, scope.now) !== undefined)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const page = paginate(input, aliases, { defaultLimit: 50, maxLimit: 100 });
  const entries = page.items.map((alias) => ({
    AliasName: alias.name,
    AliasArn: aliasArnOf(scope.store.region, alias.accountId, alias.name),
    TargetKeyId: alias.targetKeyId,
    CreationDate: epochSeconds(alias.createdAt),
    LastUpdatedDate: epochSeconds(alias.updatedAt),
  }));
  return { output: { Aliases: entries, ...page.fields } };
}
