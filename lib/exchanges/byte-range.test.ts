import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { parseByteRange } from "./byte-range";

test("single ranges in every form the RFC allows, and what is ignored or unsatisfiable", () => {
  const table: Array<[string | null, number, ReturnType<typeof parseByteRange>]> = [
    [null, 100, null],
    ["bytes=0-99", 100, { start: 0, end: 99 }],
    ["bytes=10-", 100, { start: 10, end: 99 }],
    ["bytes=10-1000", 100, { start: 10, end: 99 }],
    ["bytes=-10", 100, { start: 90, end: 99 }],
    ["bytes=-1000", 100, { start: 0, end: 99 }],
    ["bytes=100-", 100, "unsatisfiable"],
    ["bytes=-0", 100, "unsatisfiable"],
    ["bytes=0-0", 0, "unsatisfiable"],
    ["bytes=5-2", 100, null],
    ["bytes=0-1,5-6", 100, null],
    ["items=0-1", 100, null],
    ["bytes=-", 100, null],
    ["bytes=1e3-", 100, null],
  ];
  for (const [header, size, expected] of table) assert.deepEqual(parseByteRange(header, size), expected, String(header));
});

test("any header gives null, unsatisfiable, or a range inside the file", () => {
  fc.assert(
    fc.property(fc.string(), fc.nat(), (header, size) => {
      const range = parseByteRange(header, size);
      if (range === null || range === "unsatisfiable") return true;
      return range.start >= 0 && range.start <= range.end && range.end < size;
    }),
  );
  fc.assert(
    fc.property(fc.nat(1000), fc.nat(1000), fc.nat(1000), (start, length, size) => {
      const range = parseByteRange(`bytes=${start}-${start + length}`, size);
      return start >= size ? range === "unsatisfiable" : typeof range === "object" && range !== null && range.start === start && range.end === Math.min(start + length, size - 1);
    }),
  );
});
