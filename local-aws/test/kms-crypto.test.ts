// Cryptographic operations through @aws-sdk/client-kms against the real server, as the admin.
import assert from "node:assert/strict";
import { createPrivateKey, createPublicKey, sign, verify } from "node:crypto";
import { after, before, describe, test } from "node:test";
import {
  CreateAliasCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyPairCommand,
  GenerateDataKeyPairWithoutPlaintextCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateRandomCommand,
  GetKeyRotationStatusCommand,
  ReEncryptCommand,
  RotateKeyOnDemandCommand,
  type DataKeyPairSpec,
  type KMSClient,
} from "@aws-sdk/client-kms";
import { createKey, rejection, startLocalAwsWithKms } from "./support/clients";
import { ADMIN } from "./support/demo-world";
import type { LocalAws } from "./support/start-local-aws";

let aws: LocalAws;
let kms: KMSClient;

before(async () => {
  ({ aws, kms } = await startLocalAwsWithKms(ADMIN));
});
after(() => aws.stop());

const newKey = () => createKey(kms);

const context = { "exchange-id": "ex-1", purpose: "metadata" };
const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString("utf8");

describe("Encrypt and Decrypt", () => {
  test("round trip, with or without KeyId, answering with the key ARN", async () => {
    const key = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: "alias/crypto-roundtrip", TargetKeyId: key.id }));
    const encrypted = await kms.send(new EncryptCommand({ KeyId: "alias/crypto-roundtrip", Plaintext: Buffer.from("report.pdf"), EncryptionContext: context }));
    assert.equal(encrypted.KeyId, key.arn);
    assert.equal(encrypted.EncryptionAlgorithm, "SYMMETRIC_DEFAULT");
    for (const keyId of [undefined, key.id, key.arn, "alias/crypto-roundtrip"]) {
      const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: context, ...(keyId && { KeyId: keyId }) }));
      assert.equal(text(decrypted.Plaintext), "report.pdf");
      assert.equal(decrypted.KeyId, key.arn);
    }
  });

  test("a KeyId naming another key is IncorrectKeyException", async () => {
    const key = await newKey();
    const other = await newKey();
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.from("x") }));
    assert.equal((await rejection(() => kms.send(new DecryptCommand({ CiphertextBlob, KeyId: other.arn })))).name, "IncorrectKeyException");
  });

  test("plaintext must be 1..4096 bytes", async () => {
    const key = await newKey();
    await kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.alloc(4096, 1) }));
    const tooLong = await rejection(() => kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.alloc(4097, 0x41) })));
    assert.equal(tooLong.name, "ValidationException");
    assert.match(tooLong.message, /plaintext.*4096/);
    assert.doesNotMatch(tooLong.message, /QUFB/);
    assert.equal((await rejection(() => kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: new Uint8Array() })))).name, "ValidationException");
  });

  test("the encryption context is bound: missing, different or extra pairs fail, order does not matter", async () => {
    const key = await newKey();
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.from("x"), EncryptionContext: context }));
    const reordered = { purpose: "metadata", "exchange-id": "ex-1" };
    assert.equal(text((await kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: reordered }))).Plaintext), "x");
    const wrongContexts: Array<Record<string, string> | undefined> = [
      undefined,
      { "exchange-id": "ex-1" },
      { ...context, purpose: "file-content" },
      { ...context, extra: "1" },
      { "Exchange-Id": "ex-1", purpose: "metadata" },
    ];
    for (const wrong of wrongContexts) {
      const error = await rejection(() => kms.send(new DecryptCommand({ CiphertextBlob, ...(wrong && { EncryptionContext: wrong }) })));
      assert.equal(error.name, "InvalidCiphertextException", JSON.stringify(wrong));
    }
    // Length-prefixed encoding: these two contexts must not authenticate the same bytes.
    const joined = await kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.from("y"), EncryptionContext: { a: "bc" } }));
    assert.equal((await rejection(() => kms.send(new DecryptCommand({ CiphertextBlob: joined.CiphertextBlob, EncryptionContext: { ab: "c" } })))).name, "InvalidCiphertextException");
  });

  test("any changed byte, and any truncation, is InvalidCiphertextException", async () => {
    const key = await newKey();
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.from("tamper me"), EncryptionContext: context }));
    const original = Buffer.from(CiphertextBlob ?? []);
    for (let i = 0; i < original.length; i++) {
      const tampered = Buffer.from(original);
      tampered[i] = (tampered[i] as number) ^ 0x01;
      const error = await rejection(() => kms.send(new DecryptCommand({ CiphertextBlob: tampered, EncryptionContext: context })));
      assert.equal(error.name, "InvalidCiphertextException", `byte ${i}`);
    }
    for (const length of [1, 60, original.length - 1]) {
      const error = await rejection(() => kms.send(new DecryptCommand({ CiphertextBlob: original.subarray(0, length), EncryptionContext: context })));
      assert.equal(error.name, "InvalidCiphertextException", `length ${length}`);
    }
  });

  test("a disabled key does not decrypt", async () => {
    const key = await newKey();
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.from("x") }));
    await kms.send(new DisableKeyCommand({ KeyId: key.id }));
    assert.equal((await rejection(() => kms.send(new DecryptCommand({ CiphertextBlob })))).name, "DisabledException");
  });
});

describe("ReEncrypt", () => {
  test("moves a ciphertext to another key and context without revealing the plaintext", async () => {
    const source = await newKey();
    const destination = await newKey();
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: source.id, Plaintext: Buffer.from("moved"), EncryptionContext: context }));
    const moved = await kms.send(
      new ReEncryptCommand({ CiphertextBlob, SourceEncryptionContext: context, DestinationKeyId: destination.arn, DestinationEncryptionContext: { purpose: "archive" } }),
    );
    assert.equal(moved.SourceKeyId, source.arn);
    assert.equal(moved.KeyId, destination.arn);
    assert.equal(moved.DestinationEncryptionAlgorithm, "SYMMETRIC_DEFAULT");
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: moved.CiphertextBlob, EncryptionContext: { purpose: "archive" } }));
    assert.equal(text(decrypted.Plaintext), "moved");
    assert.equal(decrypted.KeyId, destination.arn);
    const wrongSource = await rejection(() =>
      kms.send(new ReEncryptCommand({ CiphertextBlob, SourceEncryptionContext: context, SourceKeyId: destination.id, DestinationKeyId: destination.id })),
    );
    assert.equal(wrongSource.name, "IncorrectKeyException");
    assert.equal((await rejection(() => kms.send(new ReEncryptCommand({ CiphertextBlob, DestinationKeyId: destination.id })))).name, "InvalidCiphertextException");
  });
});

describe("data keys and random bytes", () => {
  test("GenerateDataKey: KeySpec or NumberOfBytes, and the ciphertext decrypts to the plaintext key", async () => {
    const key = await newKey();
    for (const [request, length] of [[{ KeySpec: "AES_256" as const }, 32], [{ KeySpec: "AES_128" as const }, 16], [{ NumberOfBytes: 64 }, 64], [{ NumberOfBytes: 1 }, 1]] as const) {
      const dataKey = await kms.send(new GenerateDataKeyCommand({ KeyId: key.id, EncryptionContext: context, ...request }));
      assert.equal(dataKey.Plaintext?.length, length);
      assert.equal(dataKey.KeyId, key.arn);
      const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob, EncryptionContext: context }));
      assert.deepEqual(Buffer.from(decrypted.Plaintext ?? []), Buffer.from(dataKey.Plaintext ?? []));
    }
    for (const bad of [{}, { KeySpec: "AES_256" as const, NumberOfBytes: 32 }, { NumberOfBytes: 1025 }, { NumberOfBytes: 0 }]) {
      assert.equal((await rejection(() => kms.send(new GenerateDataKeyCommand({ KeyId: key.id, ...bad })))).name, "ValidationException", JSON.stringify(bad));
    }
  });

  test("GenerateDataKeyWithoutPlaintext returns only the encrypted key", async () => {
    const key = await newKey();
    const dataKey = await kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: key.arn, KeySpec: "AES_256" }));
    assert.equal((dataKey as { Plaintext?: unknown }).Plaintext, undefined);
    assert.equal((await kms.send(new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob }))).Plaintext?.length, 32);
  });

  test("GenerateDataKeyPair: DER SPKI public key, PKCS #8 private key encrypted under the key", async () => {
    const key = await newKey();
    const specs: DataKeyPairSpec[] = ["RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521"];
    for (const spec of specs) {
      const pair = await kms.send(new GenerateDataKeyPairCommand({ KeyId: key.id, KeyPairSpec: spec, EncryptionContext: context }));
      assert.equal(pair.KeyPairSpec, spec);
      assert.equal(pair.KeyId, key.arn);
      const publicKey = createPublicKey({ key: Buffer.from(pair.PublicKey ?? []), format: "der", type: "spki" });
      const privateKey = createPrivateKey({ key: Buffer.from(pair.PrivateKeyPlaintext ?? []), format: "der", type: "pkcs8" });
      assert.equal(publicKey.asymmetricKeyType, spec.startsWith("RSA") ? "rsa" : "ec");
      const signature = sign("sha256", Buffer.from("message"), privateKey);
      assert.ok(verify("sha256", Buffer.from("message"), publicKey, signature), spec);
      const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: pair.PrivateKeyCiphertextBlob, EncryptionContext: context }));
      assert.deepEqual(Buffer.from(decrypted.Plaintext ?? []), Buffer.from(pair.PrivateKeyPlaintext ?? []));
    }
    const withoutPlaintext = await kms.send(new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: key.id, KeyPairSpec: "ECC_NIST_P256" }));
    assert.equal((withoutPlaintext as { PrivateKeyPlaintext?: unknown }).PrivateKeyPlaintext, undefined);
    assert.ok(withoutPlaintext.PublicKey && withoutPlaintext.PrivateKeyCiphertextBlob);
    assert.equal((await rejection(() => kms.send(new GenerateDataKeyPairCommand({ KeyId: key.id, KeyPairSpec: "RSA_1024" as DataKeyPairSpec })))).name, "ValidationException");
  });

  test("GenerateRandom returns 1..1024 bytes", async () => {
    assert.equal((await kms.send(new GenerateRandomCommand({ NumberOfBytes: 1024 }))).Plaintext?.length, 1024);
    const a = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 32 }));
    const b = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 32 }));
    assert.notDeepEqual(a.Plaintext, b.Plaintext);
    for (const NumberOfBytes of [0, 1025]) assert.equal((await rejection(() => kms.send(new GenerateRandomCommand({ NumberOfBytes })))).name, "ValidationException");
  });
});

describe("rotation", () => {
  test("rotation settings, and ciphertexts from before an on-demand rotation still decrypt", async () => {
    const key = await newKey();
    assert.equal((await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.id }))).KeyRotationEnabled, false);
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.id, RotationPeriodInDays: 90 }));
    const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.arn }));
    assert.equal(status.KeyRotationEnabled, true);
    assert.equal(status.RotationPeriodInDays, 90);
    const days = ((status.NextRotationDate?.getTime() ?? 0) - Date.now()) / 86_400_000;
    assert.ok(days > 89.9 && days <= 90);
    assert.equal((await rejection(() => kms.send(new EnableKeyRotationCommand({ KeyId: key.id, RotationPeriodInDays: 89 })))).name, "ValidationException");

    const before = await kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.from("old"), EncryptionContext: context }));
    const materialBefore = (await kms.send(new DescribeKeyCommand({ KeyId: key.id }))).KeyMetadata?.CurrentKeyMaterialId;
    assert.equal((await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.id }))).KeyId, key.id);
    const materialAfter = (await kms.send(new DescribeKeyCommand({ KeyId: key.id }))).KeyMetadata?.CurrentKeyMaterialId;
    assert.ok(materialBefore && materialAfter && materialBefore !== materialAfter);
    const afterRotation = await kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.from("new"), EncryptionContext: context }));
    assert.notDeepEqual(Buffer.from(afterRotation.CiphertextBlob ?? []).subarray(17, 49), Buffer.from(before.CiphertextBlob ?? []).subarray(17, 49));
    assert.equal(text((await kms.send(new DecryptCommand({ CiphertextBlob: before.CiphertextBlob, EncryptionContext: context }))).Plaintext), "old");
    assert.equal(text((await kms.send(new DecryptCommand({ CiphertextBlob: afterRotation.CiphertextBlob, EncryptionContext: context }))).Plaintext), "new");

    await kms.send(new DisableKeyRotationCommand({ KeyId: key.id }));
    assert.equal((await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.id }))).KeyRotationEnabled, false);
    await kms.send(new DisableKeyCommand({ KeyId: key.id }));
    assert.equal((await rejection(() => kms.send(new RotateKeyOnDemandCommand({ KeyId: key.id })))).name, "DisabledException");
  });
});
