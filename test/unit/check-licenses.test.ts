import assert from "node:assert/strict";
import { test } from "node:test";
import { isPermissive } from "../../scripts/check-licenses";

const cases: Array<[string, boolean]> = [
  ["MIT", true],
  ["Apache-2.0", true],
  ["(MIT OR Apache-2.0)", true],
  ["(MIT OR GPL-3.0-or-later)", true],
  ["MIT AND BSD-3-Clause", true],
  ["MIT AND GPL-2.0", false],
  ["LGPL-3.0-or-later", false],
  ["AGPL-3.0", false],
  ["SEE LICENSE IN LICENSE.txt", false],
  ["", false],
  ["Apache-2.0 WITH LLVM-exception", true],
];

for (const [expression, expected] of cases) {
  test(`licence expression ${JSON.stringify(expression)} is ${expected ? "" : "not "}permissive`, () => {
    assert.equal(isPermissive(expression), expected);
  });
}
