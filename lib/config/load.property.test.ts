import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import fc from "fast-check";
import { ConfigError, loadConfig } from "./load";

const demo = JSON.parse(readFileSync(join(__dirname, "../../config/keybridge.demo.json"), "utf8"));
const secret = "0123456789abcdef0123456789abcdef";
const dir = mkdtempSync(join(tmpdir(), "kb-config-property-"));
const path = join(dir, "config.json");

after(() => rmSync(dir, { recursive: true, force: true }));

function load(fileText: string, env: Record<string, string | undefined> = {}) {
  writeFileSync(path, fileText);
  return () => loadConfig({ KEYBRIDGE_CONFIG: path, NEXTAUTH_SECRET: secret, ...env } as unknown as NodeJS.ProcessEnv);
}

/** Loads, or fails only with a ConfigError whose every line names a setting. */
function loadsOrNamesTheSetting(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    const [heading, ...lines] = error.message.split("\n");
    assert.equal(heading, "Keybridge configuration is invalid:");
    assert.ok(lines.length > 0);
    for (const line of lines) assert.match(line, /^ {2}(environment: [A-Z_]+|KEYBRIDGE_CONFIG|\/\S+): \S/, line);
  }
}

/** Every path to a value inside the demo configuration, for targeted corruption. */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== "object") return [prefix];
  const entries = Array.isArray(value) ? value.map((item, index) => [index, item] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, item]) => paths(item, [...prefix, key]))];
}
const demoPaths = paths(demo).filter((p) => p.length > 0);

function withValueAt(target: Array<string | number>, replacement: unknown): unknown {
  const copy = structuredClone(demo);
  let node = copy;
  for (const key of target.slice(0, -1)) node = node[key];
  node[target[target.length - 1] as string] = replacement;
  return copy;
}

test("any text as the config file loads or stops with a named-setting error", () => {
  fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.json()), (text) => loadsOrNamesTheSetting(load(text))), { numRuns: 150 });
});

test("any value anywhere in the demo configuration loads or stops naming the setting", () => {
  fc.assert(
    fc.property(fc.constantFrom(...demoPaths), fc.jsonValue({ maxDepth: 2 }), (target, replacement) => loadsOrNamesTheSetting(load(JSON.stringify(withValueAt(target, replacement))))),
    { numRuns: 200 },
  );
});

test("any environment values load or stop naming the variable", () => {
  const variable = fc.option(fc.string({ maxLength: 80 }), { nil: undefined });
  fc.assert(
    fc.property(fc.record({ NEXTAUTH_SECRET: variable, KEYBRIDGE_AWS_ENDPOINT: variable, KEYBRIDGE_DATA_DIR: variable, NODE_ENV: variable, DATABASE_URL: variable }), (env) =>
      loadsOrNamesTheSetting(load(JSON.stringify(demo), env)),
    ),
    { numRuns: 150 },
  );
});

test("valid trusted-proxy lists and MFA ages round-trip into the loaded configuration", () => {
  const cidr = fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([address, bits]) => `${address}/${bits}`);
  fc.assert(
    fc.property(fc.array(cidr, { maxLength: 5 }), fc.integer({ min: 60, max: 3600 }), (trustedProxies, maxAgeSeconds) => {
      const config = structuredClone(demo);
      config.trustedProxies = trustedProxies;
      config.mfa = { ...config.mfa, maxAgeSeconds };
      const loaded = load(JSON.stringify(config))();
      assert.deepEqual(loaded.trustedProxies, trustedProxies);
      assert.equal(loaded.mfaMaxAgeSeconds, maxAgeSeconds);
    }),
    { numRuns: 50 },
  );
});
