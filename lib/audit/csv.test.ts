import assert from "node:assert/strict";
import { test } from "node:test";
import { csvCell, csvLine } from "./csv";

const cases: Array<[string | number | boolean | null, string]> = [
  ["plain", "plain"],
  ["=HYPERLINK(\"http://evil\",\"x\")", `"'=HYPERLINK(""http://evil"",""x"")"`],
  ["+1+2", "'+1+2"],
  ["-2+3", "'-2+3"],
  ["@SUM(A1)", "'@SUM(A1)"],
  ["\tcmd", "'\tcmd"],
  ["\rcmd", `"'\rcmd"`],
  ["a,b", `"a,b"`],
  ['say "hi"', `"say ""hi"""`],
  ["two\nlines", `"two\nlines"`],
  ["mid=formula", "mid=formula"],
  [-5, "'-5"],
  [42, "42"],
  [true, "true"],
  [null, ""],
];

for (const [value, expected] of cases) {
  test(`CSV cell for ${JSON.stringify(value)}`, () => {
    assert.equal(csvCell(value), expected);
  });
}

test("a CSV line ends with CRLF", () => {
  assert.equal(csvLine(["a", "=b", null]), "a,'=b,\r\n");
});
