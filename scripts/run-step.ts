// Runs one step of the test command as its own process group, so that a timeout stops its servers and browsers too.
import { spawn } from "node:child_process";

export interface Step {
  name: string;
  command: string[];
  /** The whole step is stopped after this long, and counted as failed, so a hang never burns CI's budget. */
  timeoutSeconds: number;
  /** Later steps that need this one are skipped when it fails. */
  gate?: boolean;
  counts?: (output: string) => { passed: number; failed: number };
}

/** Exit code of a step that was stopped for running too long, as timeout(1) reports it. */
export const TIMED_OUT = 124;
/** Exit code of a step whose command could not be started at all, as a shell reports it. */
export const COULD_NOT_START = 127;

/** Always resolves, whatever the step does: the runner must reach its closing count. */
export function runStep(step: Step): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const [command, ...args] = step.command as [string, ...string[]];
    let output = "";
    let settled = false;
    const settle = (code: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ code, output });
    };
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: "0" }, detached: true });
    const timer = setTimeout(() => {
      output += `\n${step.name}: stopped after ${step.timeoutSeconds} s\n`;
      process.stderr.write(`\n=== ${step.name}: timed out after ${step.timeoutSeconds} s, stopping it\n`);
      try {
        process.kill(-(child.pid as number), "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
      settle(TIMED_OUT);
    }, step.timeoutSeconds * 1000);
    const forward = (target: NodeJS.WriteStream) => (chunk: Buffer) => {
      output += chunk.toString();
      target.write(chunk);
    };
    child.stdout.on("data", forward(process.stdout));
    child.stderr.on("data", forward(process.stderr));
    // Without this listener a command that cannot start (not installed, not executable) throws out of the runner.
    child.once("error", (error) => {
      output += `\n${step.name}: could not start ${command}: ${error.message}\n`;
      process.stderr.write(`\n=== ${step.name}: could not start ${command}: ${error.message}\n`);
      settle(COULD_NOT_START);
    });
    child.once("exit", (code) => settle(code ?? 1));
  });
}
