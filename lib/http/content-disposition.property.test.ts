import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { attachmentDisposition, MAX_DOWNLOAD_NAME_CHARACTERS } from "./content-disposition";

const HEADER = /^attachment; filename="([\x20-\x7e]*)"; filename\*=UTF-8''([A-Za-z0-9%!._~-]+)$/;
// Any UTF-16 string, lone surrogates included (JSON can carry them), biased towards the dangerous characters.
const anyName = fc.oneof(
  fc.string({ unit: "binary", maxLength: 1200 }),
  fc.array(fc.constantFrom(".", "/", "\\", "\u0000", "\r", "\n", "\u202e", " ", "a", "é", "📄", "\ud800", '"', ";", "%"), { maxLength: 40 }).map((parts) => parts.join("")),
);

test("any file name gives a single-line ASCII header whose name is non-empty, bounded and has no path separators", () => {
  fc.assert(
    fc.property(anyName, (name) => {
      const header = attachmentDisposition(name);
      const match = HEADER.exec(header);
      assert.ok(match, JSON.stringify(header));
      const [, fallback = "", encoded = ""] = match;
      const saved = decodeURIComponent(encoded);
      for (const value of [fallback, saved]) {
        assert.ok(value.length > 0);
        assert.doesNotMatch(value, /[\\/\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/);
        assert.doesNotMatch(value, /^\.*$/);
        assert.ok([...value].length <= MAX_DOWNLOAD_NAME_CHARACTERS);
      }
      assert.doesNotMatch(fallback, /["\\;%]/);
    }),
    { numRuns: 500 },
  );
});

test("ordinary names are kept exactly", () => {
  const ordinary = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,60}[A-Za-z0-9]$/);
  fc.assert(
    fc.property(ordinary, (name) => {
      const encoded = HEADER.exec(attachmentDisposition(name))?.[2] ?? "";
      assert.equal(decodeURIComponent(encoded), name);
    }),
    { numRuns: 200 },
  );
});
