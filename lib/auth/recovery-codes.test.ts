import assert from "node:assert/strict";
import { test } from "node:test";
import { hashRecoveryCode, isRecoveryCodeShaped, normalizeRecoveryCode } from "./recovery-codes";

test("recovery codes are matched however they are typed, and bound to their person", () => {
  assert.equal(normalizeRecoveryCode(" ABCDE-fghjk "), "abcdefghjk");
  assert.deepEqual(hashRecoveryCode("u1", "abcde-fghjk"), hashRecoveryCode("u1", "ABCDEFGHJK"));
  assert.notDeepEqual(hashRecoveryCode("u1", "abcde-fghjk"), hashRecoveryCode("u2", "abcde-fghjk"));
  assert.ok(isRecoveryCodeShaped("abcde-fghjk"));
  assert.equal(isRecoveryCodeShaped("123456"), false);
  assert.equal(isRecoveryCodeShaped("abcde-fghj1"), false);
});
