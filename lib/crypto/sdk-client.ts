import "server-only";
import { AlgorithmSuiteIdentifier, buildClient, CommitmentPolicy, getLocalCryptographicMaterialsCache, KmsKeyringNode, NodeCachingMaterialsManager } from "@aws-crypto/client-node";
import { processSingleton } from "../process-singleton";
import type { KmsKeyringClient } from "../aws";

// Key commitment on both sides; one encrypted data key per message, so a crafted header cannot make us call KMS many times.
export const sdk = buildClient({ commitmentPolicy: CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT, maxEncryptedDataKeys: 1 });

/**
 * Committing and unsigned: a streamed decrypt releases only frames whose tags verified, whereas a signed suite
 * releases the whole plaintext before the signature is checked (GHSA-h45p-w933-jxh3).
 */
export const ALGORITHM_SUITE = AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY;

/** A keyring bound to exactly one key, calling KMS through the acting role's client. */
export function keyringFor(keyArn: string, kms: KmsKeyringClient): KmsKeyringNode {
  return new KmsKeyringNode({ generatorKeyId: keyArn, clientProvider: () => kms });
}

/** How long a cached data key may stay in this process's memory, and for how many part messages. */
export const DATA_KEY_CACHE_LIMITS = { maxAgeMs: 5 * 60 * 1000, maxMessages: 4096 };

// Deliberately per module instance, not per process: Next bundles the Encryption SDK once for pages and once for
// route handlers, and one copy refuses materials cached by the other.
const materialsCache = getLocalCryptographicMaterialsCache(256);

/**
 * The parts of one upload (or one download) share a data key: one KMS call instead of one per part. The partition
 * keeps each upload's and each download's keys apart; entries expire after DATA_KEY_CACHE_LIMITS.
 */
export function cachedKeyring(keyArn: string, kms: KmsKeyringClient, partition: string): NodeCachingMaterialsManager {
  const manager = new NodeCachingMaterialsManager({
    backingMaterials: keyringFor(keyArn, kms),
    cache: materialsCache,
    partition,
    maxAge: DATA_KEY_CACHE_LIMITS.maxAgeMs,
    maxMessagesEncrypted: DATA_KEY_CACHE_LIMITS.maxMessages,
  });
  // Parts arrive several at a time: one at a time per partition asks the cache, so that only the first, on a
  // miss, calls KMS and the others find its key.
  const { getEncryptionMaterials, decryptMaterials } = manager;
  Object.assign(manager, {
    getEncryptionMaterials: (request: Parameters<typeof getEncryptionMaterials>[0]) => oneAtATime(`encrypt/${partition}`, () => getEncryptionMaterials.call(manager, request)),
    decryptMaterials: (request: Parameters<typeof decryptMaterials>[0]) => oneAtATime(`decrypt/${partition}`, () => decryptMaterials.call(manager, request)),
  });
  return manager;
}

const queues = processSingleton("data-key-cache-queues", () => new Map<string, Promise<unknown>>());

function oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const current = previous.catch(() => undefined).then(work);
  queues.set(key, current);
  const forget = () => {
    if (queues.get(key) === current) queues.delete(key);
  };
  current.then(forget, forget);
  return current;
}
