import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { Queryable } from "../db";

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"; // 32 symbols without look-alikes (l, o, 0, 1)
export const RECOVERY_CODE_PATTERN = /^[a-km-np-z2-9]{5}-?[a-km-np-z2-9]{5}$/;

/** Ten symbols of 5 bits from the CSPRNG: 50 bits, far beyond guessing under the attempt limit. */
function newRecoveryCode(): string {
  const symbols = [...randomBytes(10)].map((byte) => ALPHABET[byte & 31]).join("");
  return `${symbols.slice(0, 5)}-${symbols.slice(5)}`;
}

export function normalizeRecoveryCode(code: string): string {
  return code.trim().toLowerCase().replace(/[\s-]/g, "");
}

/** A fast hash is enough for 50 random bits; the user id keeps equal codes of two people apart. */
export function hashRecoveryCode(userId: string, code: string): Buffer {
  return createHash("sha256").update(`${userId}:${normalizeRecoveryCode(code)}`).digest();
}

export function isRecoveryCodeShaped(code: string): boolean {
  return RECOVERY_CODE_PATTERN.test(code.trim().toLowerCase());
}

/** Replaces a person's recovery codes; the plaintext codes exist only in the return value, shown once. */
export async function replaceRecoveryCodes(tx: Queryable, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await tx.query("DELETE FROM recovery_codes WHERE user_id = $1", [userId]);
  for (const code of codes) await tx.query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)", [userId, hashRecoveryCode(userId, code)]);
  return codes;
}

/** Marks one unused code used, atomically: the same code cannot pass twice, even on two instances at once. */
export async function consumeRecoveryCode(tx: Queryable, userId: string, code: string): Promise<boolean> {
  const used = await tx.query("UPDATE recovery_codes SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING user_id", [
    userId,
    hashRecoveryCode(userId, code),
  ]);
  return used.length === 1;
}

export async function remainingRecoveryCodes(db: Queryable, userId: string): Promise<number> {
  const [row] = await db.query<{ remaining: number }>("SELECT count(*)::int AS remaining FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL", [userId]);
  return row?.remaining ?? 0;
}
