import { Secret, TOTP } from "otpauth";

const usedSteps = new Map<string, number>();

/**
 * A fresh code for `secret`. The server refuses a code from a time step it has already accepted, so a second
 * sign-in of the same person in one 30-second step waits for the next step.
 */
export async function nextTotpCode(secret: string): Promise<string> {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: 30 });
  for (;;) {
    const step = Math.floor(Date.now() / 30_000);
    if ((usedSteps.get(secret) ?? -1) < step) {
      usedSteps.set(secret, step);
      return totp.generate({ timestamp: step * 30_000 + 1 });
    }
    await new Promise((resolve) => setTimeout(resolve, (step + 1) * 30_000 - Date.now() + 50));
  }
}
