import assert from "node:assert/strict";
import { test } from "node:test";
import * as OTPAuth from "otpauth";
import { totpCode, verifyTotp } from "../src/sts/totp";

// RFC 6238 appendix B, SHA-1: the ASCII secret "12345678901234567890", 8 digits there; the last 6 are what 6-digit TOTP shows.
const RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

test("codes match RFC 6238's SHA-1 test vectors", () => {
  assert.equal(totpCode(RFC_SECRET, Math.floor(59 / 30)), "287082");
  assert.equal(totpCode(RFC_SECRET, Math.floor(1111111109 / 30)), "081804");
  assert.equal(totpCode(RFC_SECRET, Math.floor(1234567890 / 30)), "005924");
  assert.equal(totpCode(RFC_SECRET, Math.floor(2000000000 / 30)), "279037");
});

test("an authenticator app's code verifies within one step of drift, and not beyond", () => {
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  const now = Date.now();
  const code = (timestamp: number) => OTPAuth.TOTP.generate({ secret: OTPAuth.Secret.fromBase32(secret), timestamp });
  assert.equal(verifyTotp(secret, code(now), new Date(now)), true);
  assert.equal(verifyTotp(secret, code(now - 30_000), new Date(now)), true);
  assert.equal(verifyTotp(secret, code(now + 30_000), new Date(now)), true);
  assert.equal(verifyTotp(secret, code(now - 120_000), new Date(now)), false);
  assert.equal(verifyTotp(secret, "12345", new Date(now)), false);
});
