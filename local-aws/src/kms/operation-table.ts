import type { Operation } from "./operation";
import { createAlias, deleteAlias, listAliases, updateAlias } from "./operations/aliases";
import { generateDataKeyPairWithoutPlaintext, generateDataKeyPairWithPlaintext } from "./operations/data-key-pairs";
import { generateDataKeyWithoutPlaintext, generateDataKeyWithPlaintext, generateRandom } from "./operations/data-keys";
import { decrypt, encrypt, reEncrypt } from "./operations/encryption";
import { createGrant, listGrants, retireGrant, revokeGrant } from "./operations/grants";
import { getKeyPolicy, listKeyPolicies, putKeyPolicy } from "./operations/key-policies";
import { createKey, describeKey, listKeys } from "./operations/keys";
import { cancelKeyDeletion, disableKey, enableKey, scheduleKeyDeletion } from "./operations/lifecycle";
import { disableKeyRotation, enableKeyRotation, getKeyRotationStatus, rotateKeyOnDemand } from "./operations/rotation";
import { listResourceTags, tagResource, untagResource } from "./operations/tags";

/** X-Amz-Target operation names (TrentService.<name>) this endpoint serves. */
export const OPERATIONS: ReadonlyMap<string, Operation> = new Map<string, Operation>([
  ["CreateKey", createKey],
  ["DescribeKey", describeKey],
  ["ListKeys", listKeys],
  ["EnableKey", enableKey],
  ["DisableKey", disableKey],
  ["ScheduleKeyDeletion", scheduleKeyDeletion],
  ["CancelKeyDeletion", cancelKeyDeletion],
  ["CreateAlias", createAlias],
  ["UpdateAlias", updateAlias],
  ["DeleteAlias", deleteAlias],
  ["ListAliases", listAliases],
  ["Encrypt", encrypt],
  ["Decrypt", decrypt],
  ["ReEncrypt", reEncrypt],
  ["GenerateDataKey", generateDataKeyWithPlaintext],
  ["GenerateDataKeyWithoutPlaintext", generateDataKeyWithoutPlaintext],
  ["GenerateDataKeyPair", generateDataKeyPairWithPlaintext],
  ["GenerateDataKeyPairWithoutPlaintext", generateDataKeyPairWithoutPlaintext],
  ["GenerateRandom", generateRandom],
  ["GetKeyPolicy", getKeyPolicy],
  ["PutKeyPolicy", putKeyPolicy],
  ["ListKeyPolicies", listKeyPolicies],
  ["CreateGrant", createGrant],
  ["ListGrants", listGrants],
  ["RetireGrant", retireGrant],
  ["RevokeGrant", revokeGrant],
  ["EnableKeyRotation", enableKeyRotation],
  ["DisableKeyRotation", disableKeyRotation],
  ["GetKeyRotationStatus", getKeyRotationStatus],
  ["RotateKeyOnDemand", rotateKeyOnDemand],
  ["TagResource", tagResource],
  ["UntagResource", untagResource],
  ["ListResourceTags", listResourceTags],
]);
