import { readEncryptionContext } from "../encryption-context";
import { optionalString, requiredBlob, requiredString, type Input } from "../input";
import { parseCiphertext } from "../ciphertext";
import { KEY_OR_ALIAS_ANY_ACCOUNT, type CallScope, type OperationResult } from "../operation";
import { blob } from "../wire";
import { openCiphertext, prepareSeal, readAlgorithm, SYMMETRIC_DEFAULT } from "./symmetric";

const MAX_CIPHERTEXT_BYTES = 6144;

export function encrypt(scope: CallScope, input: Input): OperationResult {
  const keyId = requiredString(input, "KeyId", { min: 1, max: 2048 });
  const plaintext = requiredBlob(input, "Plaintext", { min: 1, max: 4096, secret: true });
  const encryptionContext = readEncryptionContext(input, "EncryptionContext");
  readAlgorithm(input, "EncryptionAlgorithm");
  const sealed = prepareSeal(scope, { keyId, action: "kms:Encrypt", encryptionContext })(plaintext);
  return {
    output: { CiphertextBlob: blob(sealed.ciphertext), KeyId: sealed.key.arn, EncryptionAlgorithm: SYMMETRIC_DEFAULT, KeyMaterialId: sealed.keyMaterialId },
  };
}

export function decrypt(scope: CallScope, input: Input): OperationResult {
  const ciphertext = requiredBlob(input, "CiphertextBlob", { min: 1, max: MAX_CIPHERTEXT_BYTES });
  const encryptionContext = readEncryptionContext(input, "EncryptionContext");
  const expectedKeyId = optionalString(input, "KeyId", { min: 1, max: 2048 });
  readAlgorithm(input, "EncryptionAlgorithm");
  const opened = openCiphertext(scope, { ciphertext, encryptionContext, expectedKeyId, action: "kms:Decrypt" });
  return {
    output: { KeyId: opened.key.arn, Plaintext: blob(opened.plaintext), EncryptionAlgorithm: SYMMETRIC_DEFAULT, KeyMaterialId: opened.keyMaterialId },
  };
}

/** Needs kms:ReEncryptFrom on the source key and kms:ReEncryptTo on the destination key. */
export function reEncrypt(scope: CallScope, input: Input): OperationResult {
  const ciphertext = requiredBlob(input, "CiphertextBlob", { min: 1, max: MAX_CIPHERTEXT_BYTES });
  const sourceContext = readEncryptionContext(input, "SourceEncryptionContext");
  const sourceKeyId = optionalString(input, "SourceKeyId", { min: 1, max: 2048 });
  const destinationKeyId = requiredString(input, "DestinationKeyId", { min: 1, max: 2048 });
  const destinationContext = readEncryptionContext(input, "DestinationEncryptionContext");
  readAlgorithm(input, "SourceEncryptionAlgorithm");
  readAlgorithm(input, "DestinationEncryptionAlgorithm");

  const destination = scope.resolve(destinationKeyId, KEY_OR_ALIAS_ANY_ACCOUNT).key;
  const sameKey = String(parseCiphertext(ciphertext)?.keyId === destination.id);
  const opened = openCiphertext(scope, {
    ciphertext,
    encryptionContext: sourceContext,
    expectedKeyId: sourceKeyId,
    action: "kms:ReEncryptFrom",
    context: { "kms:ReEncryptOnSameKey": [sameKey] },
  });
  const sealed = prepareSeal(scope, {
    keyId: destinationKeyId,
    action: "kms:ReEncryptTo",
    encryptionContext: destinationContext,
    context: { "kms:ReEncryptOnSameKey": [sameKey] },
  })(opened.plaintext);
  opened.plaintext.fill(0);
  return {
    output: {
      CiphertextBlob: blob(sealed.ciphertext),
      SourceKeyId: opened.key.arn,
      KeyId: sealed.key.arn,
      SourceEncryptionAlgorithm: SYMMETRIC_DEFAULT,
      DestinationEncryptionAlgorithm: SYMMETRIC_DEFAULT,
      SourceKeyMaterialId: opened.keyMaterialId,
      DestinationKeyMaterialId: sealed.keyMaterialId,
    },
  };
}
