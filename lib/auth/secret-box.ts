import "server-only";
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { getConfig } from "../config";

// TOTP seeds must be usable offline of KMS (sign-in works while KMS is down), so they are sealed with a key
// derived from the server secret, bound to the user they belong to.
function key(): Buffer {
  return Buffer.from(hkdfSync("sha256", getConfig().authSecret, Buffer.alloc(0), "keybridge/totp-secret/v1", 32));
}

export function sealSecret(plaintext: string, boundTo: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  cipher.setAAD(Buffer.from(boundTo));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function openSecret(sealed: Uint8Array, boundTo: string): string {
  const data = Buffer.from(sealed);
  const decipher = createDecipheriv("aes-256-gcm", key(), data.subarray(0, 12));
  decipher.setAAD(Buffer.from(boundTo));
  decipher.setAuthTag(data.subarray(12, 28));
  return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString("utf8");
}
