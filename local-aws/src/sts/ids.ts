import { createHash, randomBytes } from "node:crypto";

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function base32(bytes: Uint8Array, length: number): string {
  let out = "";
  for (let i = 0; out.length < length; i++) out += BASE32[(bytes[i % bytes.length] as number) % 32];
  return out;
}

/** AWS unique ids are a type prefix (AIDA user, AROA role) and 17 more characters; derived from the ARN so they stay stable. */
export function uniqueId(prefix: "AIDA" | "AROA", arn: string): string {
  return prefix + base32(createHash("sha256").update(arn).digest(), 17);
}

export function newTemporaryAccessKeyId(): string {
  return `ASIA${base32(randomBytes(16), 16)}`;
}

export function newSecretAccessKey(): string {
  return randomBytes(30).toString("base64");
}
