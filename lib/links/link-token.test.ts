import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { hashLinkToken, isWellFormedToken, LINK_TOKEN_BYTES, newLinkToken, tokenMatches } from "./link-token";

test("tokens carry 256 random bits in 43 base64url characters and do not repeat", () => {
  const tokens = Array.from({ length: 2000 }, newLinkToken);
  assert.equal(new Set(tokens).size, tokens.length);
  for (const token of tokens.slice(0, 50)) {
    assert.equal(Buffer.from(token, "base64url").byteLength, LINK_TOKEN_BYTES);
    assert.ok(isWellFormedToken(token));
  }
  // Every bit position takes both values across the sample: nothing is fixed or derived from a counter.
  const ones = new Array<number>(LINK_TOKEN_BYTES * 8).fill(0);
  for (const token of tokens) {
    const bytes = Buffer.from(token, "base64url");
    for (let bit = 0; bit < ones.length; bit++) ones[bit] = (ones[bit] ?? 0) + ((bytes[bit >> 3]! >> (bit & 7)) & 1);
  }
  for (const count of ones) assert.ok(count > 800 && count < 1200, `bit set ${count} of 2000 times`);
});

test("only the SHA-256 of a token is kept, and only the same token matches it", () => {
  const token = newLinkToken();
  const stored = hashLinkToken(token);
  assert.deepEqual(stored, createHash("sha256").update(token).digest());
  assert.equal(stored.toString("hex").includes(Buffer.from(token).toString("hex")), false);
  assert.ok(tokenMatches(token, stored));
  assert.equal(tokenMatches(newLinkToken(), stored), false);
  assert.equal(tokenMatches(token, stored.subarray(1)), false);
});

test("malformed tokens are refused before any lookup", () => {
  for (const bad of ["", "short", `${newLinkToken()}x`, `${newLinkToken().slice(0, 42)}/`, "../".repeat(15)]) assert.equal(isWellFormedToken(bad), false, bad);
});
