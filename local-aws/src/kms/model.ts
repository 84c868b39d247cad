import type { PolicyDocument, Tags } from "../contracts";

/** The key states this endpoint can reach; PendingImport and the rest belong to features it does not offer. */
export type KeyState = "Enabled" | "Disabled" | "PendingDeletion";

export type EncryptionContext = Record<string, string>;

/** One generation of key material. A key keeps every generation so that old ciphertexts still decrypt. */
export interface BackingKey {
  /** 32 random bytes, hex: AWS's KeyMaterialId has this form. Written into every ciphertext. */
  id: string;
  material: Buffer;
  createdAt: Date;
}

export interface GrantConstraints {
  EncryptionContextEquals?: EncryptionContext;
  EncryptionContextSubset?: EncryptionContext;
}

export interface Grant {
  id: string;
  name?: string;
  createdAt: Date;
  granteePrincipal: string;
  retiringPrincipal?: string;
  issuingAccount: string;
  operations: string[];
  constraints?: GrantConstraints;
}

export interface KmsKey {
  id: string;
  accountId: string;
  arn: string;
  description: string;
  createdAt: Date;
  state: KeyState;
  deletionDate?: Date;
  pendingWindowInDays?: number;
  /** The text as the caller sent it: GetKeyPolicy returns it unchanged. */
  policyText: string;
  policy: PolicyDocument;
  tags: Tags;
  /** Oldest first; the last one encrypts. */
  backingKeys: BackingKey[];
  rotation: { enabled: boolean; periodInDays: number; nextRotationDate?: Date };
  grants: Grant[];
}

export interface Alias {
  /** alias/NAME */
  name: string;
  accountId: string;
  targetKeyId: string;
  createdAt: Date;
  updatedAt: Date;
}
