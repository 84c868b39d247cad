// Issue 6: the stored ciphertext's SHA-256 and size, recorded at upload and compared before a download releases
// its first byte. Exchanges stored before this migration have neither and rely on the Encryption SDK's frames alone.
export const ciphertextDigest = `
ALTER TABLE exchanges ADD COLUMN ciphertext_sha256 text;
ALTER TABLE exchanges ADD COLUMN ciphertext_size bigint;
`;
