// The pure parts of local-aws KMS: the ciphertext layout, the canonical encryption context, grant tokens,
// and the service's answer to an operation it does not have.
import assert from "node:assert/strict";
import { test } from "node:test";
import { AwsError, type CallInfo } from "../src/contracts";
import { createKmsService } from "../src/kms";
import { newBackingKey, open, parseCiphertext, seal } from "../src/kms/ciphertext";
import { canonicalEncryptionContext } from "../src/kms/encryption-context";
import { grantToken, parseGrantToken } from "../src/kms/grants";
import { MasterKey } from "../src/state/master-key";
import { WorldSchema } from "../src/world/schema";

const KEY_ID = "9d3e8a51-6b7c-4f2e-a1d4-5c6b7e8f9a01";

test("a ciphertext is version, key id, key material id, IV, AES-GCM body and tag", () => {
  const backing = newBackingKey(new Date());
  const blob = seal(KEY_ID, backing, Buffer.from("hello"), { a: "b" });
  assert.equal(blob.length, 1 + 16 + 32 + 12 + 5 + 16);
  assert.equal(blob[0], 1);
  assert.equal(blob.subarray(1, 17).toString("hex"), KEY_ID.replaceAll("-", ""));
  assert.equal(blob.subarray(17, 49).toString("hex"), backing.id);
  const parsed = parseCiphertext(blob);
  assert.ok(parsed);
  assert.equal(parsed.keyId, KEY_ID);
  assert.equal(open(parsed, backing, { a: "b" })?.toString(), "hello");
  assert.equal(open(parsed, backing, {}), null);
  assert.equal(open(parsed, newBackingKey(new Date()), { a: "b" }), null);
});

test("the canonical encryption context ignores order and tells apart contexts that concatenate alike", () => {
  assert.deepEqual(canonicalEncryptionContext({ b: "2", a: "1" }), canonicalEncryptionContext({ a: "1", b: "2" }));
  assert.notDeepEqual(canonicalEncryptionContext({ a: "bc" }), canonicalEncryptionContext({ ab: "c" }));
  assert.notDeepEqual(canonicalEncryptionContext({}), canonicalEncryptionContext({ "": "" }));
  assert.deepEqual(canonicalEncryptionContext({}), Buffer.alloc(4));
});

test("grant tokens name their key and grant, and differ each time", () => {
  const grantId = "ab".repeat(32);
  const first = grantToken(KEY_ID, grantId);
  assert.notEqual(first, grantToken(KEY_ID, grantId));
  assert.deepEqual(parseGrantToken(first), { keyId: KEY_ID, grantId });
  assert.equal(parseGrantToken(first.slice(1)), null);
});

test("an operation KMS does not have here is UnknownOperationException", async () => {
  const world = WorldSchema.parse({ accounts: [{ id: "000000000000" }] });
  const kms = createKmsService({ world, masterKey: MasterKey.loadOrCreate(null), stateDir: null, region: "eu-west-1" });
  const call = {} as CallInfo;
  await assert.rejects(kms.handle("Sign", {}, call), (error: unknown) => error instanceof AwsError && error.code === "UnknownOperationException" && error.httpStatus === 400);
});
