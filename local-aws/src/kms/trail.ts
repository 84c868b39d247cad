// Fields of the CloudTrail-shaped event: member names in lower camel case, as CloudTrail writes them, and
// never plaintext, ciphertext or grant tokens. Map members (encryption contexts) keep their keys as sent.
const SECRET_MEMBERS = new Set(["Plaintext", "CiphertextBlob", "PrivateKeyPlaintext", "PrivateKeyCiphertextBlob", "GrantToken", "GrantTokens"]);
const MAP_MEMBERS = new Set(["EncryptionContext", "SourceEncryptionContext", "DestinationEncryptionContext", "EncryptionContextEquals", "EncryptionContextSubset"]);

function camel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function convert(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(convert);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(value)) {
    if (SECRET_MEMBERS.has(name)) continue;
    out[camel(name)] = MAP_MEMBERS.has(name) ? member : convert(member);
  }
  return out;
}

/** null for an empty structure, as CloudTrail shows operations without parameters or results. */
export function trailFields(structure: Record<string, unknown>): Record<string, unknown> | null {
  const converted = convert(structure) as Record<string, unknown>;
  return Object.keys(converted).length > 0 ? converted : null;
}
