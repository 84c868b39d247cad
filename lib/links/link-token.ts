import "server-only";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** 256 bits from the CSPRNG; base64url so it fits in a path segment unescaped (43 characters). */
export const LINK_TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newLinkToken(): string {
  return randomBytes(LINK_TOKEN_BYTES).toString("base64url");
}

/** Only this hash is stored: a database leak gives no working links. */
export function hashLinkToken(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

export function isWellFormedToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

/** The row was found by its hash through an index; this constant-time comparison is the actual check. */
export function tokenMatches(token: string, storedHash: Uint8Array): boolean {
  const hash = hashLinkToken(token);
  return storedHash.byteLength === hash.byteLength && timingSafeEqual(hash, storedHash);
}
