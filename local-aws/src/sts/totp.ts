import { createHmac, timingSafeEqual } from "node:crypto";

const STEP_SECONDS = 30;
const DIGITS = 6;

function base32Decode(text: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of text.replace(/=+$/, "").toUpperCase()) {
    const index = alphabet.indexOf(char);
    if (index < 0) throw new Error("a TOTP secret is base32");
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 6238 with RFC 4226's dynamic truncation: HMAC-SHA1, 6 digits, 30-second steps. */
export function totpCode(base32Secret: string, counter: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const digest = createHmac("sha1", base32Decode(base32Secret)).update(message).digest();
  const offset = (digest[digest.length - 1] as number) & 0x0f;
  const binary = digest.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** DIGITS).padStart(DIGITS, "0");
}

/** Accepts the current step and one step either way, as AWS tolerates small clock drift of authenticator apps. */
export function verifyTotp(base32Secret: string, code: string, now: Date): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  const counter = Math.floor(now.getTime() / 1000 / STEP_SECONDS);
  let matched = false;
  for (const step of [counter - 1, counter, counter + 1]) {
    if (timingSafeEqual(Buffer.from(totpCode(base32Secret, step)), Buffer.from(code))) matched = true;
  }
  return matched;
}
