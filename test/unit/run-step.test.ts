import assert from "node:assert/strict";
import { test } from "node:test";

import { COULD_NOT_START, runStep, TIMED_OUT } from "../../scripts/run-step";
import { waitFor } from "../support/bytes";

test("a step's exit code and output come back", async () => {
  const result = await runStep({ name: "fails", timeoutSeconds: 30, command: ["sh", "-c", "echo out; echo err >&2; exit 3"] });
  assert.equal(result.code, 3);
  assert.match(result.output, /out/);
  assert.match(result.output, /err/);
});

test("a step whose command cannot start is a failed step, not a crashed runner", async () => {
  const result = await runStep({ name: "missing", timeoutSeconds: 30, command: ["/nonexistent/keybridge-no-such-tool", "--version"] });
  assert.equal(result.code, COULD_NOT_START);
  assert.match(result.output, /missing: could not start \/nonexistent\/keybridge-no-such-tool: .*ENOENT/);
});

test("a step that runs too long is stopped with everything it started", async () => {
  const result = await runStep({ name: "hangs", timeoutSeconds: 1, command: ["sh", "-c", "sleep 60 & echo $!; wait"] });
  assert.equal(result.code, TIMED_OUT);
  assert.match(result.output, /hangs: stopped after 1 s/);
  const grandchild = Number(/^(\d+)$/m.exec(result.output)?.[1]);
  assert.ok(grandchild > 0, result.output);
  const alive = () => {
    try {
      process.kill(grandchild, 0);
      return true;
    } catch {
      return false;
    }
  };
  await waitFor(() => (alive() ? undefined : true), "the step's background process to be stopped");
});
