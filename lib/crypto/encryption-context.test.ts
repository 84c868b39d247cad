import assert from "node:assert/strict";
import { test } from "node:test";
import { AppError } from "../errors/app-error";
import { assertEncryptionContext, exchangeEncryptionContext } from "./encryption-context";

const exchange = { id: "3f1c9a0e-0000-4000-8000-000000000001", senderOrg: "acme", recipientOrg: "globex" };
const expected = exchangeEncryptionContext(exchange, "file-content");

test("encryption context names the exchange, parties and purpose", () => {
  assert.deepEqual(expected, { "exchange-id": exchange.id, "sender-org": "acme", "recipient-org": "globex", purpose: "file-content" });
});

test("identical context passes in any key order", () => {
  assertEncryptionContext(expected, { purpose: "file-content", "recipient-org": "globex", "sender-org": "acme", "exchange-id": exchange.id });
});

for (const [name, actual] of [
  ["another exchange", { ...expected, "exchange-id": "3f1c9a0e-0000-4000-8000-000000000002" }],
  ["another recipient", { ...expected, "recipient-org": "initech" }],
  ["metadata purpose", { ...expected, purpose: "metadata" }],
  ["an extra pair", { ...expected, extra: "x" }],
  ["a missing pair", { "exchange-id": exchange.id, "sender-org": "acme", "recipient-org": "globex" }],
] as const) {
  test(`context mismatch is refused: ${name}`, () => {
    assert.throws(() => assertEncryptionContext(expected, actual), (error: unknown) => error instanceof AppError && error.code === "integrity_failure");
  });
}
