import "server-only";

export { encryptFile, type EncryptFileResult } from "./encrypt-file";
export { DATA_KEY_CACHE_LIMITS } from "./sdk-client";
export { openDecryptedFile } from "./decrypt-file";
export { CiphertextDigest } from "./ciphertext-digest";
export { exchangeEncryptionContext, partedEncryptionContext, assertEncryptionContext, type CiphertextPurpose, type ExchangeParties } from "./encryption-context";
