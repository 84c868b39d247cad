// How a key's state limits what can be done with it (KMS Developer Guide, "Key states of AWS KMS keys",
// key state table and its footnotes, whose messages these are).
import { AwsError } from "../contracts";
import type { KmsKey } from "./model";

function pendingDeletion(key: KmsKey): AwsError {
  return new AwsError("KMSInvalidStateException", `${key.arn} is pending deletion.`);
}

/** Cryptographic operations and CreateGrant: only an Enabled key. */
export function requireEnabled(key: KmsKey): void {
  if (key.state === "Disabled") throw new AwsError("DisabledException", `${key.arn} is disabled.`);
  if (key.state === "PendingDeletion") throw pendingDeletion(key);
}

/** Management operations that change the key or its aliases and tags. */
export function requireNotPendingDeletion(key: KmsKey): void {
  if (key.state === "PendingDeletion") throw pendingDeletion(key);
}

export function requirePendingDeletion(key: KmsKey): void {
  if (key.state !== "PendingDeletion") throw new AwsError("KMSInvalidStateException", `${key.arn} is not pending deletion.`);
}
