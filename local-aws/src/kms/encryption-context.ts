import { AwsError } from "../contracts";
import { optionalStringMap, type Input } from "./input";
import type { EncryptionContext } from "./model";

/** Reads an encryption context field. Absent and empty are the same context, as in KMS. */
export function readEncryptionContext(input: Input, field: string): EncryptionContext {
  const context = optionalStringMap(input, field) ?? {};
  for (const key of Object.keys(context)) {
    if (key.length === 0) throw new AwsError("ValidationException", `Encryption context keys must not be empty (${field})`);
  }
  return context;
}

function lengthPrefixed(bytes: Buffer): Buffer[] {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return [length, bytes];
}

/**
 * The context as authenticated data: a 4-byte pair count, then each pair sorted by the UTF-8 bytes of its
 * key, as 4-byte length + key + 4-byte length + value. Length prefixes make the encoding injective, so
 * no two different contexts (e.g. {"a":"bc"} and {"ab":"c"}) authenticate the same bytes.
 */
export function canonicalEncryptionContext(context: EncryptionContext): Buffer {
  const pairs = Object.entries(context).map(([key, value]) => [Buffer.from(key, "utf8"), Buffer.from(value, "utf8")] as const);
  pairs.sort((a, b) => Buffer.compare(a[0], b[0]));
  const count = Buffer.alloc(4);
  count.writeUInt32BE(pairs.length);
  return Buffer.concat([count, ...pairs.flatMap(([key, value]) => [...lengthPrefixed(key), ...lengthPrefixed(value)])]);
}
