import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { hashLinkToken, isWellFormedToken, LINK_TOKEN_BYTES, tokenMatches } from "./link-token";

test("every 32-byte value formats to a well-formed token that parses back to the same bytes", () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: LINK_TOKEN_BYTES, maxLength: LINK_TOKEN_BYTES }), (bytes) => {
      const token = Buffer.from(bytes).toString("base64url");
      assert.ok(isWellFormedToken(token));
      assert.deepEqual(new Uint8Array(Buffer.from(token, "base64url")), bytes);
    }),
    { numRuns: 300 },
  );
});

test("any other string is refused without throwing, whatever its length or characters", () => {
  const other = fc.oneof(fc.string({ unit: "binary", maxLength: 12_000 }), fc.string({ unit: fc.constantFrom("A", "-", "_", "=", "+", "/", " "), minLength: 42, maxLength: 44 }));
  fc.assert(
    fc.property(other, (candidate) => {
      fc.pre(!/^[A-Za-z0-9_-]{43}$/.test(candidate));
      assert.equal(isWellFormedToken(candidate), false);
    }),
    { numRuns: 300 },
  );
});

test("the stored-hash comparison takes any token and any stored value, and accepts only the token's own hash", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary", maxLength: 10_000 }), fc.uint8Array({ maxLength: 64 }), (token, stored) => {
      assert.equal(tokenMatches(token, stored), Buffer.from(stored).equals(hashLinkToken(token)));
      assert.equal(tokenMatches(token, hashLinkToken(token)), true);
    }),
    { numRuns: 200 },
  );
});
