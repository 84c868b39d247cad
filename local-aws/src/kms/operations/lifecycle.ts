import { authorizeOnKey } from "../authorization";
import { optionalInteger, requiredString, type Input } from "../input";
import { daysFrom } from "../key-store";
import { requireNotPendingDeletion, requirePendingDeletion } from "../key-state";
import type { KeyState, KmsKey } from "../model";
import { KEY_OWN_ACCOUNT, type CallScope, type OperationResult } from "../operation";
import { epochSeconds } from "../wire";

function ownKey(scope: CallScope, input: Input, action: string, context = {}): KmsKey {
  const { key } = scope.resolve(requiredString(input, "KeyId", { min: 1, max: 2048 }), KEY_OWN_ACCOUNT);
  authorizeOnKey(scope.store, scope.call, key, action, { context });
  return key;
}

function setEnabled(scope: CallScope, input: Input, action: string, state: KeyState): OperationResult {
  const key = ownKey(scope, input, action);
  requireNotPendingDeletion(key);
  if (key.state !== state) {
    key.state = state;
    scope.store.commit();
  }
  return { output: {} };
}

export const enableKey = (scope: CallScope, input: Input): OperationResult => setEnabled(scope, input, "kms:EnableKey", "Enabled");
export const disableKey = (scope: CallScope, input: Input): OperationResult => setEnabled(scope, input, "kms:DisableKey", "Disabled");

/** The key is deleted lazily, the first time it is looked up after DeletionDate (see KeyStore.key). */
export function scheduleKeyDeletion(scope: CallScope, input: Input): OperationResult {
  const days = optionalInteger(input, "PendingWindowInDays", { min: 7, max: 30 }) ?? 30;
  const key = ownKey(scope, input, "kms:ScheduleKeyDeletion", { "kms:ScheduleKeyDeletionPendingWindowInDays": [String(days)] });
  requireNotPendingDeletion(key);
  key.state = "PendingDeletion";
  key.deletionDate = daysFrom(scope.now, days);
  key.pendingWindowInDays = days;
  scope.store.commit();
  return {
    output: { KeyId: key.arn, DeletionDate: epochSeconds(key.deletionDate), KeyState: key.state, PendingWindowInDays: days },
    logOutput: true,
  };
}

/** A cancelled deletion leaves the key Disabled, as in AWS: enabling it again is a separate decision. */
export function cancelKeyDeletion(scope: CallScope, input: Input): OperationResult {
  const key = ownKey(scope, input, "kms:CancelKeyDeletion");
  requirePendingDeletion(key);
  key.state = "Disabled";
  delete key.deletionDate;
  delete key.pendingWindowInDays;
  scope.store.commit();
  return { output: { KeyId: key.arn }, logOutput: true };
}
