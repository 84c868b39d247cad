import { generateKeyPair } from "node:crypto";
import { AwsError } from "../../contracts";
import { readEncryptionContext } from "../encryption-context";
import { requiredEnum, requiredString, type Input } from "../input";
import type { CallScope, OperationResult } from "../operation";
import { blob } from "../wire";
import { prepareSeal } from "./symmetric";

type PairSpec =
  | { type: "rsa"; modulusLength: number }
  | { type: "ec"; namedCurve: string }
  | { type: "ed25519" };

const PAIR_SPECS: Record<string, PairSpec> = {
  RSA_2048: { type: "rsa", modulusLength: 2048 },
  RSA_3072: { type: "rsa", modulusLength: 3072 },
  RSA_4096: { type: "rsa", modulusLength: 4096 },
  ECC_NIST_P256: { type: "ec", namedCurve: "prime256v1" },
  ECC_NIST_P384: { type: "ec", namedCurve: "secp384r1" },
  ECC_NIST_P521: { type: "ec", namedCurve: "secp521r1" },
  ECC_SECG_P256K1: { type: "ec", namedCurve: "secp256k1" },
  ECC_NIST_EDWARDS25519: { type: "ed25519" },
};

/** Every DataKeyPairSpec name is valid input; SM2 (China Regions) and ML-KEM are not offered here. */
const ALL_SPECS = [...Object.keys(PAIR_SPECS), "SM2", "ML_KEM_512", "ML_KEM_768", "ML_KEM_1024"];

const DER = { publicKeyEncoding: { type: "spki", format: "der" }, privateKeyEncoding: { type: "pkcs8", format: "der" } } as const;

/** DER: the public key as SubjectPublicKeyInfo, the private key as PKCS #8, as KMS returns them. */
function newKeyPair(spec: PairSpec): Promise<{ publicKey: Buffer; privateKey: Buffer }> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, publicKey: Buffer, privateKey: Buffer) => (error ? reject(error) : resolve({ publicKey, privateKey }));
    if (spec.type === "rsa") generateKeyPair("rsa", { modulusLength: spec.modulusLength, ...DER }, done);
    else if (spec.type === "ec") generateKeyPair("ec", { namedCurve: spec.namedCurve, ...DER }, done);
    else generateKeyPair("ed25519", DER, done);
  });
}

async function generateDataKeyPair(scope: CallScope, input: Input, withPlaintext: boolean): Promise<OperationResult> {
  const keyId = requiredString(input, "KeyId", { min: 1, max: 2048 });
  const encryptionContext = readEncryptionContext(input, "EncryptionContext");
  const specName = requiredEnum(input, "KeyPairSpec", ALL_SPECS);
  const spec = PAIR_SPECS[specName];
  if (!spec) throw new AwsError("UnsupportedOperationException", `KeyPairSpec ${specName} is not supported by local-aws`);
  const action = withPlaintext ? "kms:GenerateDataKeyPair" : "kms:GenerateDataKeyPairWithoutPlaintext";
  const sealer = prepareSeal(scope, { keyId, action, encryptionContext, context: { "kms:DataKeyPairSpec": [specName] } });
  const { publicKey, privateKey } = await newKeyPair(spec);
  const sealed = sealer(privateKey);
  const output: Record<string, unknown> = {
    PrivateKeyCiphertextBlob: blob(sealed.ciphertext),
    PublicKey: blob(publicKey),
    KeyId: sealed.key.arn,
    KeyPairSpec: specName,
    KeyMaterialId: sealed.keyMaterialId,
  };
  if (withPlaintext) output.PrivateKeyPlaintext = blob(privateKey);
  privateKey.fill(0);
  return { output };
}

export const generateDataKeyPairWithPlaintext = (scope: CallScope, input: Input): Promise<OperationResult> => generateDataKeyPair(scope, input, true);
export const generateDataKeyPairWithoutPlaintext = (scope: CallScope, input: Input): Promise<OperationResult> => generateDataKeyPair(scope, input, false);
