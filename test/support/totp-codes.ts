import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { Secret, TOTP } from "otpauth";

/**
 * Where the steps used are shared between processes, if anywhere: Playwright signs the personas in from one worker and
 * runs the specs in another, and the server refuses a step that either of them used.
 */
const sharedStepsPath = process.env.KEYBRIDGE_TOTP_STEPS_FILE;
const usedSteps = new Map<string, number>();

function lastUsedStep(secret: string): number {
  if (sharedStepsPath && existsSync(sharedStepsPath)) {
    for (const [shared, step] of Object.entries(JSON.parse(readFileSync(sharedStepsPath, "utf8")) as Record<string, number>)) usedSteps.set(shared, step);
  }
  return usedSteps.get(secret) ?? -1;
}

function claimStep(secret: string, step: number): void {
  usedSteps.set(secret, step);
  // A step older than this one can no longer be generated, so only this step's claims are worth keeping.
  if (sharedStepsPath) writeFileSync(sharedStepsPath, JSON.stringify(Object.fromEntries([...usedSteps].filter(([, used]) => used >= step))));
}

/**
 * A fresh code for `secret`. The server refuses a code from a time step it has already accepted, so a second
 * sign-in of the same person in one 30-second step waits for the next step.
 */
export async function nextTotpCode(secret: string): Promise<string> {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: 30 });
  for (;;) {
    const step = Math.floor(Date.now() / 30_000);
    if (lastUsedStep(secret) < step) {
      claimStep(secret, step);
      return totp.generate({ timestamp: step * 30_000 + 1 });
    }
    await new Promise((resolve) => setTimeout(resolve, (step + 1) * 30_000 - Date.now() + 50));
  }
}
