// Fails when any installed package (runtime or development, at any depth) lacks a permissive licence.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const PERMISSIVE = new Set([
  "MIT",
  "MIT-0",
  "ISC",
  "BSD-2-Clause",
  "BSD-3-Clause",
  "0BSD",
  "Apache-2.0",
  "BlueOak-1.0.0",
  "CC0-1.0",
  "Unlicense",
  "Zlib",
  "Python-2.0",
  // Data, not code (caniuse-lite's browser tables): attribution only.
  "CC-BY-4.0",
]);

/**
 * Old packages whose package.json declares nothing but whose readme carries the licence, each read by a person.
 * Pinned to the exact version, and the readme is re-checked, so a new version or an edited readme fails again.
 */
const LICENCE_STATED_IN_README: Record<string, { license: string; readmeSays: RegExp }> = {
  "only@0.0.2": { license: "MIT", readmeSays: /\(The MIT License\)/ },
  "humanize-number@0.0.2": { license: "MIT", readmeSays: /## License\s+MIT\b/ },
};

function readmeLicence(path: string, id: string): string {
  const stated = LICENCE_STATED_IN_README[id];
  if (!stated) return "";
  const readme = readdirSync(path).find((file) => /^readme(\.md)?$/i.test(file));
  return readme && stated.readmeSays.test(readFileSync(join(path, readme), "utf8")) ? stated.license : "";
}

interface Finding {
  name: string;
  version: string;
  license: string;
  path: string;
}

function licenseOf(manifest: Record<string, unknown>): string {
  const { license, licenses } = manifest;
  if (typeof license === "string") return license;
  if (license && typeof license === "object" && "type" in license) return String((license).type);
  if (Array.isArray(licenses)) return licenses.map((entry) => (typeof entry === "string" ? entry : String((entry as { type?: unknown }).type))).join(" OR ");
  return "";
}

/** Evaluates an SPDX expression: OR needs one permissive side, AND needs all; WITH exceptions keep the base licence. */
export function isPermissive(expression: string): boolean {
  const cleaned = expression.replace(/[()]/g, " ").trim();
  if (!cleaned) return false;
  return cleaned.split(/\s+OR\s+/i).some((alternative) =>
    alternative.split(/\s+AND\s+/i).every((term) => PERMISSIVE.has(term.trim().replace(/\s+WITH\s+.*$/i, "").replace(/\+$/, ""))),
  );
}

function* packages(nodeModules: string): Generator<string> {
  if (!existsSync(nodeModules)) return;
  for (const entry of readdirSync(nodeModules)) {
    if (entry.startsWith(".")) continue;
    const path = join(nodeModules, entry);
    if (entry.startsWith("@")) {
      for (const scoped of readdirSync(path)) yield* packageAndNested(join(path, scoped));
    } else {
      yield* packageAndNested(path);
    }
  }
}

function* packageAndNested(path: string): Generator<string> {
  if (existsSync(join(path, "package.json"))) yield path;
  yield* packages(join(path, "node_modules"));
}

function main(): void {
  const root = join(__dirname, "..");
  const seen = new Set<string>();
  const bad: Finding[] = [];
  let count = 0;
  for (const path of packages(join(root, "node_modules"))) {
    const manifest = JSON.parse(readFileSync(join(path, "package.json"), "utf8")) as Record<string, unknown>;
    const name = String(manifest.name ?? path);
    const version = String(manifest.version ?? "?");
    if (seen.has(`${name}@${version}`)) continue;
    seen.add(`${name}@${version}`);
    count += 1;
    const license = licenseOf(manifest) || readmeLicence(path, `${name}@${version}`);
    if (!isPermissive(license)) bad.push({ name, version, license: license || "(none declared)", path });
  }
  const own = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Record<string, unknown>;
  if (own.license !== "Apache-2.0") bad.push({ name: String(own.name), version: String(own.version), license: String(own.license), path: root });
  if (bad.length > 0) {
    console.error(`Licence check failed: ${bad.length} of ${count} packages are not under a permissive licence:`);
    for (const finding of bad) console.error(`  ${finding.name}@${finding.version}: ${finding.license} (${finding.path})`);
    process.exit(1);
  }
  console.log(`Licence check passed: ${count} packages, all permissive.`);
}

if (require.main === module) main();
