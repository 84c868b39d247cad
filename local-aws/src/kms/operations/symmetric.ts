// The two halves every symmetric cryptographic operation is built from: authorize and seal under a key,
// and find the key of a ciphertext, authorize and open it.
import { AwsError, type ConditionContext } from "../../contracts";
import { authorizeOnKey } from "../authorization";
import { open, parseCiphertext, seal } from "../ciphertext";
import { encryptionContextContext } from "../context-keys";
import { optionalEnum, type Input } from "../input";
import { isKeyId } from "../key-reference";
import { requireEnabled } from "../key-state";
import type { BackingKey, EncryptionContext, KmsKey } from "../model";
import { KEY_OR_ALIAS_ANY_ACCOUNT, type CallScope } from "../operation";

export const SYMMETRIC_DEFAULT = "SYMMETRIC_DEFAULT";
const ALGORITHMS = ["SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "SM2PKE"] as const;

/** Only SYMMETRIC_DEFAULT fits a symmetric key; the asymmetric algorithms are valid names but the wrong key usage. */
export function readAlgorithm(input: Input, field: string): typeof SYMMETRIC_DEFAULT {
  const algorithm = optionalEnum(input, field, ALGORITHMS) ?? SYMMETRIC_DEFAULT;
  if (algorithm !== SYMMETRIC_DEFAULT) throw new AwsError("InvalidKeyUsageException", `${algorithm} is not a valid encryption algorithm for a symmetric encryption KMS key`);
  return algorithm;
}

function currentBackingKey(key: KmsKey): BackingKey {
  const current = key.backingKeys[key.backingKeys.length - 1];
  if (!current) throw new AwsError("KMSInternalException", "The key has no key material", 500);
  return current;
}

export interface Sealed {
  key: KmsKey;
  ciphertext: Buffer;
  keyMaterialId: string;
}

export interface SealRequest {
  keyId: string;
  action: string;
  encryptionContext: EncryptionContext;
  /** Further condition keys of the operation (kms:DataKeyPairSpec, kms:ReEncryptOnSameKey, ...). */
  context?: ConditionContext;
}

/** Resolves, authorizes and checks the key, then returns a sealer for the plaintext made afterwards. */
export function prepareSeal(scope: CallScope, request: SealRequest): (plaintext: Uint8Array) => Sealed {
  const { key, requestAlias } = scope.resolve(request.keyId, KEY_OR_ALIAS_ANY_ACCOUNT);
  authorizeOnKey(scope.store, scope.call, key, request.action, {
    requestAlias,
    encryptionContext: request.encryptionContext,
    context: { ...encryptionContextContext(request.encryptionContext), "kms:EncryptionAlgorithm": [SYMMETRIC_DEFAULT], ...request.context },
  });
  requireEnabled(key);
  const backingKey = currentBackingKey(key);
  return (plaintext) => ({ key, ciphertext: seal(key.id, backingKey, plaintext, request.encryptionContext), keyMaterialId: backingKey.id });
}

export interface Opened {
  key: KmsKey;
  plaintext: Buffer;
  keyMaterialId: string;
}

export interface OpenRequest {
  ciphertext: Buffer;
  encryptionContext: EncryptionContext;
  /** The KeyId (or SourceKeyId) the caller named, if any: it must be the ciphertext's key. */
  expectedKeyId?: string;
  action: string;
  context?: ConditionContext;
}

function invalidCiphertext(): AwsError {
  return new AwsError("InvalidCiphertextException", "The ciphertext is invalid, was not made by this KMS, or its encryption context does not match");
}

/** Returns the alias the caller named the key by, if it did: kms:RequestAlias. */
function requireExpectedKey(scope: CallScope, key: KmsKey, expected: string): string | undefined {
  // A bare key id is compared as is: Decrypt accepts a short key id even for another account's key.
  const named = isKeyId(expected) ? { key: { id: expected }, requestAlias: undefined } : scope.resolve(expected, KEY_OR_ALIAS_ANY_ACCOUNT);
  if (named.key.id !== key.id) throw new AwsError("IncorrectKeyException", "The key ID in the request does not identify the KMS key that encrypted the ciphertext.");
  return named.requestAlias;
}

/**
 * Authorization comes before the tag check, so a caller without permission learns nothing about a
 * ciphertext, not even whether it is intact.
 */
export function openCiphertext(scope: CallScope, request: OpenRequest): Opened {
  const parsed = parseCiphertext(request.ciphertext);
  const key = parsed && scope.store.key(parsed.keyId, scope.now);
  if (!parsed || !key) throw invalidCiphertext();
  const requestAlias = request.expectedKeyId === undefined ? undefined : requireExpectedKey(scope, key, request.expectedKeyId);
  scope.touch(key);
  authorizeOnKey(scope.store, scope.call, key, request.action, {
    requestAlias,
    encryptionContext: request.encryptionContext,
    context: { ...encryptionContextContext(request.encryptionContext), "kms:EncryptionAlgorithm": [SYMMETRIC_DEFAULT], ...request.context },
  });
  requireEnabled(key);
  const backingKey = key.backingKeys.find((candidate) => candidate.id === parsed.backingKeyId);
  const plaintext = backingKey && open(parsed, backingKey, request.encryptionContext);
  if (!backingKey || !plaintext) throw invalidCiphertext();
  return { key, plaintext, keyMaterialId: backingKey.id };
}
