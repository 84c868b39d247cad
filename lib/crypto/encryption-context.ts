import "server-only";
import { AppError } from "../errors/app-error";

/** `file-content` marks Encryption SDK data keys, `metadata` the small kms:Encrypt ciphertexts; the key policy tells them apart. */
export type CiphertextPurpose = "file-content" | "metadata";

export interface ExchangeParties {
  id: string;
  senderOrg: string;
  recipientOrg: string;
}

/**
 * The encryption context binds every ciphertext to its exchange, parties and purpose. It is logged by KMS in
 * the clear, so it holds identifiers only, never names or content.
 */
export function exchangeEncryptionContext(exchange: ExchangeParties, purpose: CiphertextPurpose): Record<string, string> {
  return {
    "exchange-id": exchange.id,
    "sender-org": exchange.senderOrg,
    "recipient-org": exchange.recipientOrg,
    purpose,
  };
}

/**
 * A parted upload's parts and its manifest: the same exchange binding, plus which of the two a message is, so
 * that a part can never be read as a manifest or the other way round. The parts of one upload share one context,
 * which lets them share one cached data key; their order is fixed by the manifest.
 */
export function partedEncryptionContext(exchange: ExchangeParties, layout: "part" | "manifest"): Record<string, string> {
  return { ...exchangeEncryptionContext(exchange, "file-content"), layout };
}

/** Exact equality: an extra, missing or different pair means the ciphertext belongs to something else. */
export function assertEncryptionContext(expected: Record<string, string>, actual: Record<string, string>): void {
  const expectedKeys = Object.keys(expected).sort();
  const actualKeys = Object.keys(actual).sort();
  const same = expectedKeys.length === actualKeys.length && expectedKeys.every((key, index) => key === actualKeys[index] && expected[key] === actual[key]);
  if (!same) throw new AppError("integrity_failure", `encryption context mismatch: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}
