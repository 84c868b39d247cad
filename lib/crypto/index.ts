import "server-only";

export { encryptFile, type EncryptFileResult } from "./encrypt-file";
export { openDecryptedFile } from "./decrypt-file";
export { CiphertextDigest, digestOf } from "./ciphertext-digest";
export { exchangeEncryptionContext, assertEncryptionContext, type CiphertextPurpose, type ExchangeParties } from "./encryption-context";
