import "server-only";
import { Secret, TOTP } from "otpauth";

const PERIOD_SECONDS = 30;

function totpFor(base32Secret: string, label = "Keybridge"): TOTP {
  return new TOTP({ issuer: "Keybridge", label, algorithm: "SHA1", digits: 6, period: PERIOD_SECONDS, secret: Secret.fromBase32(base32Secret) });
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpUri(base32Secret: string, email: string): string {
  return totpFor(base32Secret, email).toString();
}

/**
 * Returns the time step the code belongs to (±1 step of drift), or null. The caller stores the step and refuses
 * any code whose step is not newer, so a code cannot be used twice.
 */
export function matchTotpStep(base32Secret: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(base32Secret).validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? null : Math.floor(now / 1000 / PERIOD_SECONDS) + delta;
}
