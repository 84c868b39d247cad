import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { FullConfig } from "@playwright/test";
import { startStack } from "../test/support/stack";
import { AUTH_DIR } from "./support/personas";

/** Refuses anything but loopback: the e2e tests must never reach a shared or real deployment. */
function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "[::1]"].includes(host)) throw new Error(`e2e tests only run against loopback, not ${url}`);
}

/**
 * Starts local-aws, seeds a temp data dir and starts the built app (run `next build` first), and hands the app's
 * URL to the tests in KEYBRIDGE_E2E_URL; the returned function stops it all after the run.
 * If KEYBRIDGE_E2E_URL is already set, the tests use that stack instead and nothing is started here.
 * The workers share the TOTP steps they used through a file beside the saved sign-in states (test/support/totp-codes.ts).
 */
export default async function globalSetup(_config: FullConfig): Promise<(() => Promise<void>) | undefined> {
  mkdirSync(AUTH_DIR, { recursive: true });
  process.env.KEYBRIDGE_TOTP_STEPS_FILE = join(AUTH_DIR, "totp-steps.json");
  const existing = process.env.KEYBRIDGE_E2E_URL;
  if (existing) {
    assertLoopback(existing);
    return undefined;
  }
  const stack = await startStack();
  assertLoopback(stack.appUrl);
  process.env.KEYBRIDGE_E2E_URL = stack.appUrl;
  process.env.KEYBRIDGE_E2E_EVENT_LOG = stack.eventLogPath;
  process.env.KEYBRIDGE_E2E_AWS_URL = stack.localAwsUrl;
  return async () => {
    await stack.stop();
  };
}
