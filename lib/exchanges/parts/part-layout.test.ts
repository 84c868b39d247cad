import assert from "node:assert/strict";
import { test } from "node:test";
import { partCountFor, partsCovering, partSize } from "./part-layout";

const MiB = 1024 * 1024;

test("part counts: an empty file is one empty part, exact multiples add no empty part", () => {
  assert.deepEqual([0, 1, 16 * MiB - 1, 16 * MiB, 16 * MiB + 1, 5 * 1024 * MiB].map((size) => partCountFor(size, 16 * MiB)), [1, 1, 1, 1, 2, 320]);
});

test("part sizes: full parts, then the remainder", () => {
  const layout = { size: 40, partBytes: 16, partCount: partCountFor(40, 16) };
  assert.deepEqual([1, 2, 3].map((n) => partSize(layout, n)), [16, 16, 8]);
  assert.equal(partSize({ size: 0, partBytes: 16, partCount: 1 }, 1), 0);
  for (const bad of [0, 4, 1.5, -1]) assert.throws(() => partSize(layout, bad), RangeError);
});

test("a byte range maps to the parts that hold it and the offset into the first", () => {
  const layout = { size: 40, partBytes: 16, partCount: 3 };
  const table: Array<[number, number, { first: number; last: number; skip: number }]> = [
    [0, 39, { first: 1, last: 3, skip: 0 }],
    [15, 16, { first: 1, last: 2, skip: 15 }],
    [16, 39, { first: 2, last: 3, skip: 0 }],
    [20, 20, { first: 2, last: 2, skip: 4 }],
    [39, 39, { first: 3, last: 3, skip: 7 }],
  ];
  for (const [start, end, expected] of table) assert.deepEqual(partsCovering(layout, start, end), expected, `${start}-${end}`);
});
