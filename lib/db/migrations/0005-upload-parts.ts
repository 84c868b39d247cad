// Issue 7: parted uploads. Each part is its own Encryption SDK message in its own blob; the exchange's blob becomes
// the encrypted manifest that fixes the parts' order, sizes and ciphertext digests. A parted exchange has no
// whole-file SHA-256 (no plaintext is ever at rest to hash in order), so the completeness check allows that.
export const uploadParts = `
ALTER TABLE exchanges ADD COLUMN part_bytes bigint CHECK (part_bytes > 0);
ALTER TABLE exchanges ADD COLUMN part_count integer CHECK (part_count > 0);
ALTER TABLE exchanges DROP CONSTRAINT exchanges_check;
ALTER TABLE exchanges ADD CONSTRAINT exchanges_available_is_complete CHECK (
  status <> 'available' OR (size IS NOT NULL AND (sha256 IS NOT NULL OR part_count IS NOT NULL) AND blob_key IS NOT NULL AND completed_at IS NOT NULL)
);
CREATE TABLE upload_parts (
  exchange_id uuid NOT NULL REFERENCES exchanges (id) ON DELETE CASCADE,
  part_number integer NOT NULL CHECK (part_number >= 1),
  blob_key text NOT NULL UNIQUE,
  plaintext_bytes bigint NOT NULL CHECK (plaintext_bytes >= 0),
  plaintext_sha256 text NOT NULL,
  ciphertext_bytes bigint NOT NULL,
  ciphertext_sha256 text NOT NULL,
  kms_request_id text,
  stored_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (exchange_id, part_number)
);
`;
