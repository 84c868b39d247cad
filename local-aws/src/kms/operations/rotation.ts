import { authorizeOnKey } from "../authorization";
import { optionalInteger, requiredString, type Input } from "../input";
import type { KeyReferenceRules } from "../key-reference";
import { daysFrom } from "../key-store";
import { requireEnabled } from "../key-state";
import type { KmsKey } from "../model";
import { KEY_ANY_ACCOUNT, KEY_OWN_ACCOUNT, type CallScope, type OperationResult } from "../operation";
import { epochSeconds } from "../wire";

function keyFor(scope: CallScope, input: Input, action: string, rules: KeyReferenceRules, context = {}): KmsKey {
  const { key } = scope.resolve(requiredString(input, "KeyId", { min: 1, max: 2048 }), rules);
  authorizeOnKey(scope.store, scope.call, key, action, { context });
  return key;
}

/** Automatic rotation happens lazily once NextRotationDate has passed (see KeyStore.key). */
export function enableKeyRotation(scope: CallScope, input: Input): OperationResult {
  const period = optionalInteger(input, "RotationPeriodInDays", { min: 90, max: 2560 }) ?? 365;
  const key = keyFor(scope, input, "kms:EnableKeyRotation", KEY_OWN_ACCOUNT, { "kms:RotationPeriodInDays": [String(period)] });
  requireEnabled(key);
  key.rotation = { enabled: true, periodInDays: period, nextRotationDate: daysFrom(scope.now, period) };
  scope.store.commit();
  return { output: {} };
}

export function disableKeyRotation(scope: CallScope, input: Input): OperationResult {
  const key = keyFor(scope, input, "kms:DisableKeyRotation", KEY_OWN_ACCOUNT);
  requireEnabled(key);
  key.rotation = { enabled: false, periodInDays: key.rotation.periodInDays };
  scope.store.commit();
  return { output: {} };
}

export function getKeyRotationStatus(scope: CallScope, input: Input): OperationResult {
  const key = keyFor(scope, input, "kms:GetKeyRotationStatus", KEY_ANY_ACCOUNT);
  const { rotation } = key;
  return {
    output: {
      KeyRotationEnabled: rotation.enabled,
      KeyId: key.arn,
      ...(rotation.enabled ? { RotationPeriodInDays: rotation.periodInDays } : {}),
      ...(rotation.nextRotationDate ? { NextRotationDate: epochSeconds(rotation.nextRotationDate) } : {}),
    },
  };
}

/** New key material at once; every earlier generation stays, so existing ciphertexts still decrypt. */
export function rotateKeyOnDemand(scope: CallScope, input: Input): OperationResult {
  const key = keyFor(scope, input, "kms:RotateKeyOnDemand", KEY_OWN_ACCOUNT);
  requireEnabled(key);
  scope.store.rotate(key, scope.now);
  scope.store.commit();
  return { output: { KeyId: key.id }, logOutput: true };
}
