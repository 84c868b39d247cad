import { AwsError } from "../../contracts";
import { authorizeOnKey } from "../authorization";
import { keyContext } from "../context-keys";
import { optionalBoolean, optionalString, requiredString, type Input } from "../input";
import { checkLockoutSafety, parseKeyPolicy, POLICY_NAME } from "../key-policy";
import type { KmsKey } from "../model";
import { KEY_OWN_ACCOUNT, type CallScope, type OperationResult } from "../operation";
import { paginate } from "../pagination";

/** A key has exactly one policy, named "default". */
function requireDefaultName(input: Input): void {
  const name = optionalString(input, "PolicyName", { min: 1, max: 128 }) ?? POLICY_NAME;
  if (name !== POLICY_NAME) throw new AwsError("NotFoundException", `No such policy: ${name}. The only key policy name is ${POLICY_NAME}.`);
}

function keyFor(scope: CallScope, input: Input, action: string, context = {}): KmsKey {
  const { key } = scope.resolve(requiredString(input, "KeyId", { min: 1, max: 2048 }), KEY_OWN_ACCOUNT);
  authorizeOnKey(scope.store, scope.call, key, action, { context });
  return key;
}

export function getKeyPolicy(scope: CallScope, input: Input): OperationResult {
  const key = keyFor(scope, input, "kms:GetKeyPolicy");
  requireDefaultName(input);
  return { output: { Policy: key.policyText, PolicyName: POLICY_NAME } };
}

/** Changes made here are kept in the state directory and win over the world file's policy on restart. */
export function putKeyPolicy(scope: CallScope, input: Input): OperationResult {
  const bypass = optionalBoolean(input, "BypassPolicyLockoutSafetyCheck") ?? false;
  const key = keyFor(scope, input, "kms:PutKeyPolicy", { "kms:BypassPolicyLockoutSafetyCheck": [String(bypass)] });
  requireDefaultName(input);
  const text = requiredString(input, "Policy", { min: 1 });
  const policy = parseKeyPolicy(text);
  if (!bypass) checkLockoutSafety(scope.call, key.arn, key.accountId, policy, keyContext(scope.store, key));
  key.policyText = text;
  key.policy = policy;
  scope.store.commit();
  return { output: {} };
}

export function listKeyPolicies(scope: CallScope, input: Input): OperationResult {
  keyFor(scope, input, "kms:ListKeyPolicies");
  const page = paginate(input, [POLICY_NAME], { defaultLimit: 100, maxLimit: 1000 });
  return { output: { PolicyNames: page.items, ...page.fields } };
}
