// The one test command (npm test): every check and test suite, in order, with one closing count.
import { readdirSync } from "node:fs";
import { join } from "node:path";

import { runStep, type Step } from "./run-step";

function nodeTestCounts(output: string) {
  const number = (label: string) => [...output.matchAll(new RegExp(`^ℹ ${label} (\\d+)$`, "gm"))].reduce((sum, match) => sum + Number(match[1]), 0);
  return { passed: number("pass"), failed: number("fail") + number("cancelled") };
}

function playwrightCounts(output: string) {
  const number = (label: string) => Number(output.match(new RegExp(`^\\s+(\\d+) ${label}`, "m"))?.[1] ?? 0);
  return { passed: number("passed") + number("flaky"), failed: number("failed") + number("did not run") };
}

/** `*.test.ts` files under `dir`, sorted (Node 20 has no fs.globSync). */
function testFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((path) => path.endsWith(".test.ts") && !path.includes("node_modules"))
    .map((path) => join(dir, path))
    .sort();
}
// Each test gets at most this long: a hung test fails on its own, with its name, instead of stopping the step.
const TEST_TIMEOUT_MS = 5 * 60 * 1000;
const nodeTest = (extra: string[], dirs: string[]) => [
  process.execPath,
  ...extra,
  "--import",
  "tsx",
  "--test",
  "--test-reporter=spec",
  "--test-concurrency=1",
  `--test-timeout=${TEST_TIMEOUT_MS}`,
  ...dirs.flatMap(testFiles),
];
const only = process.argv.slice(2);

const steps: Step[] = [
  { name: "typecheck", timeoutSeconds: 300, command: ["npx", "tsc", "--noEmit", "-p", "."] },
  { name: "lint", timeoutSeconds: 300, command: ["npx", "eslint", "."] },
  { name: "licences", timeoutSeconds: 120, command: ["npx", "tsx", "scripts/check-licenses.ts"] },
  { name: "unit", timeoutSeconds: 600, command: nodeTest(["--conditions=react-server"], ["lib", "test/unit"]), counts: nodeTestCounts },
  { name: "local-aws", timeoutSeconds: 600, command: nodeTest([], ["local-aws/test"]), counts: nodeTestCounts },
  { name: "build", timeoutSeconds: 600, command: ["npx", "next", "build"], gate: true },
  { name: "integration", timeoutSeconds: 1800, command: nodeTest([], ["test/integration"]), counts: nodeTestCounts },
  // PostgreSQL + S3 (a throwaway cluster and scripts/local-s3.ts, started and stopped by the tests) and two app instances.
  { name: "multi-instance", timeoutSeconds: 600, command: nodeTest(["--conditions=react-server"], ["test/multi-instance"]), counts: nodeTestCounts },
  { name: "e2e", timeoutSeconds: 600, command: ["npx", "playwright", "test", "--reporter=list"], counts: playwrightCounts },
];

async function main(): Promise<void> {
  const unknown = only.filter((name) => !steps.some((step) => step.name === name));
  if (unknown.length > 0) {
    console.error(`unknown step${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}; the steps are ${steps.map((step) => step.name).join(", ")}`);
    console.log("0 passed, 1 failed");
    process.exit(2);
  }
  let passed = 0;
  let failed = 0;
  let gateFailed = false;
  const summary: string[] = [];
  for (const step of steps) {
    if (only.length > 0 && !only.includes(step.name)) continue;
    if (gateFailed) {
      summary.push(`${step.name}: skipped (an earlier step it needs failed)`);
      failed += 1;
      continue;
    }
    console.log(`\n=== ${step.name}: ${step.command.slice(0, 6).join(" ")}${step.command.length > 6 ? " …" : ""}`);
    const started = Date.now();
    const { code, output } = await runStep(step);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (step.counts) {
      const counts = step.counts(output);
      passed += counts.passed;
      failed += counts.failed;
      if (code !== 0 && counts.failed === 0) failed += 1;
      summary.push(`${step.name}: ${counts.passed} passed, ${counts.failed} failed, exit ${code} (${seconds} s)`);
    } else {
      if (code === 0) passed += 1;
      else failed += 1;
      summary.push(`${step.name}: ${code === 0 ? "ok" : `FAILED (exit ${code})`} (${seconds} s)`);
    }
    if (code !== 0 && step.gate) gateFailed = true;
  }
  console.log(`\n=== summary\n${summary.join("\n")}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

void main();
