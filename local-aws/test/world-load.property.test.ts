import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { parseWorld, WorldFileError } from "../src/world/load";
import { demoWorld } from "./support/demo-world";

/** Parses, or fails only with a WorldFileError whose every line names the file and a problem (a JSON path, or the file as a whole). */
function parsesOrNamesThePath(text: string): void {
  try {
    parseWorld("w.json", text);
  } catch (error) {
    assert.ok(error instanceof WorldFileError, String(error));
    for (const line of error.message.split("\n")) assert.match(line, /^world file w\.json: \S/, line);
  }
}

function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== "object") return [prefix];
  const entries = Array.isArray(value) ? value.map((item, index) => [index, item] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, item]) => paths(item, [...prefix, key]))];
}
const world = demoWorld();
const worldPaths = paths(world).filter((path) => path.length > 0);

test("any text as a world file parses or fails with a clear error naming the file", () => {
  fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.json()), parsesOrNamesThePath), { numRuns: 200 });
});

test("any value anywhere in the demo world parses or fails naming the JSON path", () => {
  fc.assert(
    fc.property(fc.constantFrom(...worldPaths), fc.jsonValue({ maxDepth: 2 }), (target, replacement) => {
      const copy = structuredClone(world) as unknown as Record<string | number, any>;
      let node = copy;
      for (const key of target.slice(0, -1)) node = node[key];
      node[target[target.length - 1] as string] = replacement;
      parsesOrNamesThePath(JSON.stringify(copy));
    }),
    { numRuns: 300 },
  );
});
