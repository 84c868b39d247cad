import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { OperationMiddleware } from "../server";

/** Output members that hold plaintext key material handed to the caller, by operation. */
const PLAINTEXT_MEMBERS: Record<string, string> = {
  GenerateDataKey: "Plaintext",
  GenerateDataKeyPair: "PrivateKeyPlaintext",
  Decrypt: "Plaintext",
};

/**
 * Test-only (--data-key-canary FILE): appends every plaintext data key handed out, as a lowercase hex line, so that
 * tests can search logs, databases and responses for them. The write is synchronous and happens before the response
 * is sent, so a test that reads FILE after its request finds the key; a failed write fails the call rather than leave
 * a key unrecorded.
 */
export function dataKeyCanary(file: string): OperationMiddleware {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  appendFileSync(file, "", { mode: 0o600 });
  return async (request, next) => {
    const result = await next();
    const member = request.service === "kms" ? PLAINTEXT_MEMBERS[request.operation] : undefined;
    const value = member === undefined ? undefined : result.output[member];
    if (typeof value === "string") appendFileSync(file, `${Buffer.from(value, "base64").toString("hex")}\n`);
    return result;
  };
}
