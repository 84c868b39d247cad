import type { KmsKey } from "./model";
import { epochSeconds } from "./wire";

/** KeyMetadata as CreateKey and DescribeKey return it for a symmetric encryption key made by KMS. */
export function keyMetadata(key: KmsKey): Record<string, unknown> {
  const current = key.backingKeys[key.backingKeys.length - 1];
  return {
    AWSAccountId: key.accountId,
    KeyId: key.id,
    Arn: key.arn,
    CreationDate: epochSeconds(key.createdAt),
    Enabled: key.state === "Enabled",
    Description: key.description,
    KeyUsage: "ENCRYPT_DECRYPT",
    KeyState: key.state,
    ...(key.deletionDate ? { DeletionDate: epochSeconds(key.deletionDate) } : {}),
    Origin: "AWS_KMS",
    KeyManager: "CUSTOMER",
    CustomerMasterKeySpec: "SYMMETRIC_DEFAULT",
    KeySpec: "SYMMETRIC_DEFAULT",
    EncryptionAlgorithms: ["SYMMETRIC_DEFAULT"],
    MultiRegion: false,
    ...(current ? { CurrentKeyMaterialId: current.id } : {}),
  };
}
