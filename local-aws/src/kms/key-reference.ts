import { AwsError, type Caller } from "../contracts";
import { aliasArnOf, keyArnOf, type KeyStore } from "./key-store";
import type { KmsKey } from "./model";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const KMS_ARN = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):(key\/[^/]+|alias\/.+)$/;

export interface KeyReferenceRules {
  /** Alias names and alias ARNs are accepted (cryptographic operations and DescribeKey). */
  aliases: boolean;
  /** The key may belong to another account when named by ARN ("Cross-account use: Yes" in the API reference). */
  crossAccount: boolean;
}

export interface ResolvedKey {
  key: KmsKey;
  /** The alias name when the request named the key through an alias: kms:RequestAlias. */
  requestAlias?: string;
}

type Reference = { kind: "key"; accountId: string; keyId: string } | { kind: "alias"; accountId: string; aliasName: string };

function parse(text: string, caller: Caller, region: string): Reference {
  if (text.startsWith("arn:")) {
    const match = KMS_ARN.exec(text);
    if (!match) throw new AwsError("InvalidArnException", `Invalid arn ${text}`);
    const [, arnRegion, accountId, resource] = match as unknown as [string, string, string, string];
    if (arnRegion !== region) throw new AwsError("NotFoundException", `Invalid arn ${text}: not in region ${region}`);
    return resource.startsWith("alias/")
      ? { kind: "alias", accountId, aliasName: resource }
      : { kind: "key", accountId, keyId: resource.slice("key/".length) };
  }
  if (text.startsWith("alias/")) return { kind: "alias", accountId: caller.accountId, aliasName: text };
  return { kind: "key", accountId: caller.accountId, keyId: text };
}

/**
 * Finds the key a KeyId names: key id, key ARN, alias name or alias ARN, as the operation allows
 * (API reference, each operation's KeyId). A key id or alias name means the caller's own account.
 */
export function resolveKey(store: KeyStore, caller: Caller, text: string, rules: KeyReferenceRules, now: Date): ResolvedKey {
  const reference = parse(text, caller, store.region);
  if (reference.accountId !== caller.accountId && !rules.crossAccount) {
    throw new AwsError("NotFoundException", `Invalid keyId ${text}: this operation cannot use a key in another account`);
  }
  if (reference.kind === "alias") {
    if (!rules.aliases) throw new AwsError("NotFoundException", `Invalid keyId ${text}: specify a key id or key ARN`);
    const alias = store.alias(reference.accountId, reference.aliasName);
    const key = alias && store.key(alias.targetKeyId, now);
    if (!key) throw new AwsError("NotFoundException", `Alias ${aliasArnOf(store.region, reference.accountId, reference.aliasName)} is not found.`);
    return { key, requestAlias: reference.aliasName };
  }
  if (!UUID.test(reference.keyId)) throw new AwsError("NotFoundException", `Invalid keyId ${text}`);
  const key = store.key(reference.keyId, now);
  if (!key || key.accountId !== reference.accountId) {
    throw new AwsError("NotFoundException", `Key '${keyArnOf(store.region, reference.accountId, reference.keyId)}' does not exist`);
  }
  return { key };
}

export function isKeyId(text: string): boolean {
  return UUID.test(text);
}
