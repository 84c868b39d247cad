import "server-only";
import { AlgorithmSuiteIdentifier, buildClient, CommitmentPolicy, KmsKeyringNode } from "@aws-crypto/client-node";
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
