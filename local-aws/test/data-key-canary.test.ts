// --data-key-canary FILE: every plaintext key local-aws hands out is in FILE, as hex, by the time the response arrives.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyPairCommand,
  GenerateDataKeyWithoutPlaintextCommand,
} from "@aws-sdk/client-kms";
import { kmsClient } from "./support/clients";
import { ADMIN } from "./support/demo-world";
import { startLocalAws } from "./support/start-local-aws";

const hex = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? new Uint8Array()).toString("hex");

test("the canary file holds the hex of every GenerateDataKey, GenerateDataKeyPair and Decrypt plaintext, and nothing else", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "local-aws-canary-"));
  const canary = join(dir, "keys", "canary.txt");
  const aws = await startLocalAws({ inMemory: true, args: ["--data-key-canary", canary] }).catch((error: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  t.after(async () => {
    await aws.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const lines = () => readFileSync(canary, "utf8").split("\n").filter(Boolean);
  assert.deepEqual(lines(), []);
  assert.match(aws.output(), /test-only controls on \(--data-key-canary\)/);

  const kms = kmsClient(aws.url, ADMIN);
  const KeyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata?.KeyId as string;
  const dataKey = await kms.send(new GenerateDataKeyCommand({ KeyId, KeySpec: "AES_256" }));
  assert.deepEqual(lines(), [hex(dataKey.Plaintext)]);
  const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob }));
  assert.equal(hex(decrypted.Plaintext), hex(dataKey.Plaintext));

  await kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId, NumberOfBytes: 32 }));
  await kms.send(new EncryptCommand({ KeyId, Plaintext: Buffer.from("not a key") }));
  const pair = await kms.send(new GenerateDataKeyPairCommand({ KeyId, KeyPairSpec: "ECC_NIST_P256" }));
  const small = await kms.send(new GenerateDataKeyCommand({ KeyId, NumberOfBytes: 16 }));

  const expected = [hex(dataKey.Plaintext), hex(decrypted.Plaintext), hex(pair.PrivateKeyPlaintext), hex(small.Plaintext)];
  assert.deepEqual(lines(), expected);
  for (const line of expected) assert.match(line, /^[0-9a-f]+$/);
});
