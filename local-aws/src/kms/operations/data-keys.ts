import { randomBytes } from "node:crypto";
import { AwsError } from "../../contracts";
import { authorizeByIdentity } from "../authorization";
import { readEncryptionContext } from "../encryption-context";
import { optionalEnum, optionalInteger, optionalString, requiredString, validationError, type Input } from "../input";
import type { CallScope, OperationResult } from "../operation";
import { blob } from "../wire";
import { prepareSeal } from "./symmetric";

const KEY_SPEC_BYTES = { AES_256: 32, AES_128: 16 } as const;

/** Exactly one of KeySpec and NumberOfBytes (API reference, GenerateDataKey). */
function dataKeyLength(input: Input): number {
  const spec = optionalEnum(input, "KeySpec", ["AES_256", "AES_128"] as const);
  const bytes = optionalInteger(input, "NumberOfBytes", { min: 1, max: 1024 });
  if ((spec === undefined) === (bytes === undefined)) throw new AwsError("ValidationException", "Please specify either number of bytes or key spec.");
  return spec === undefined ? (bytes as number) : KEY_SPEC_BYTES[spec];
}

function generateDataKey(scope: CallScope, input: Input, withPlaintext: boolean): OperationResult {
  const keyId = requiredString(input, "KeyId", { min: 1, max: 2048 });
  const encryptionContext = readEncryptionContext(input, "EncryptionContext");
  const length = dataKeyLength(input);
  const action = withPlaintext ? "kms:GenerateDataKey" : "kms:GenerateDataKeyWithoutPlaintext";
  const sealer = prepareSeal(scope, { keyId, action, encryptionContext });
  const dataKey = randomBytes(length);
  const sealed = sealer(dataKey);
  const output: Record<string, unknown> = { CiphertextBlob: blob(sealed.ciphertext), KeyId: sealed.key.arn, KeyMaterialId: sealed.keyMaterialId };
  if (withPlaintext) output.Plaintext = blob(dataKey);
  dataKey.fill(0);
  return { output };
}

export const generateDataKeyWithPlaintext = (scope: CallScope, input: Input): OperationResult => generateDataKey(scope, input, true);
export const generateDataKeyWithoutPlaintext = (scope: CallScope, input: Input): OperationResult => generateDataKey(scope, input, false);

export function generateRandom(scope: CallScope, input: Input): OperationResult {
  const length = optionalInteger(input, "NumberOfBytes", { min: 1, max: 1024 });
  if (length === undefined) throw validationError("NumberOfBytes", null, "Member must not be null");
  if (optionalString(input, "CustomKeyStoreId") !== undefined) throw new AwsError("UnsupportedOperationException", "local-aws has no custom key stores");
  authorizeByIdentity(scope.call, "kms:GenerateRandom", "*", scope.caller.accountId);
  return { output: { Plaintext: blob(randomBytes(length)) } };
}
