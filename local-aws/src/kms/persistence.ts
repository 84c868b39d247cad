// kms-state.json: every key (with its policy, tags, grants, rotation settings and state) and alias, and the
// backing keys wrapped by the master key. Written atomically after each change, never on reads.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { MasterKey } from "../state/master-key";
import { writeFileAtomic } from "../state/atomic-file";
import { keyArnOf, type KeyStore } from "./key-store";
import type { Alias, BackingKey, KmsKey } from "./model";
import { parseKeyPolicy } from "./key-policy";

const STATE_FILE = "kms-state.json";
const FORMAT_VERSION = 1;

const date = z.iso.datetime().transform((text) => new Date(text));
const stringMap = z.record(z.string(), z.string());

const GrantSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  createdAt: date,
  granteePrincipal: z.string(),
  retiringPrincipal: z.string().optional(),
  issuingAccount: z.string(),
  operations: z.array(z.string()),
  constraints: z.object({ EncryptionContextEquals: stringMap.optional(), EncryptionContextSubset: stringMap.optional() }).optional(),
});

const KeySchema = z.object({
  id: z.string().uuid(),
  accountId: z.string(),
  description: z.string(),
  createdAt: date,
  state: z.enum(["Enabled", "Disabled", "PendingDeletion"]),
  deletionDate: date.optional(),
  pendingWindowInDays: z.number().int().optional(),
  policy: z.string(),
  tags: stringMap,
  rotation: z.object({ enabled: z.boolean(), periodInDays: z.number().int(), nextRotationDate: date.optional() }),
  backingKeys: z.array(z.object({ id: z.string().regex(/^[0-9a-f]{64}$/), createdAt: date, wrapped: z.base64() })).min(1),
  grants: z.array(GrantSchema),
});

const AliasSchema = z.object({ name: z.string(), accountId: z.string(), targetKeyId: z.string(), createdAt: date, updatedAt: date });

const StateSchema = z.object({ version: z.literal(FORMAT_VERSION), keys: z.array(KeySchema), aliases: z.array(AliasSchema) });

/** Binding the key and generation ids means a backing key moved to another entry of the file no longer unwraps. */
function wrapPurpose(keyId: string, backingKeyId: string): string {
  return `kms-backing-key/${keyId}/${backingKeyId}`;
}

function iso(value: Date | undefined): string | undefined {
  return value?.toISOString();
}

function serialize(store: KeyStore, masterKey: MasterKey): string {
  const keys = store.allKeys().map((key) => ({
    id: key.id,
    accountId: key.accountId,
    description: key.description,
    createdAt: key.createdAt.toISOString(),
    state: key.state,
    deletionDate: iso(key.deletionDate),
    pendingWindowInDays: key.pendingWindowInDays,
    policy: key.policyText,
    tags: key.tags,
    rotation: { ...key.rotation, nextRotationDate: iso(key.rotation.nextRotationDate) },
    backingKeys: key.backingKeys.map((backing) => ({
      id: backing.id,
      createdAt: backing.createdAt.toISOString(),
      wrapped: masterKey.wrap(backing.material, wrapPurpose(key.id, backing.id)).toString("base64"),
    })),
    grants: key.grants.map((grant) => ({ ...grant, createdAt: grant.createdAt.toISOString() })),
  }));
  const aliases = store.allAliases().map((alias) => ({ ...alias, createdAt: alias.createdAt.toISOString(), updatedAt: alias.updatedAt.toISOString() }));
  return JSON.stringify({ version: FORMAT_VERSION, keys, aliases }, null, 2) + "\n";
}

export interface KmsPersistence {
  save(store: KeyStore): void;
  load(store: KeyStore): void;
}

/** Without a state directory, state lives and dies with the process. */
export const inMemoryOnly: KmsPersistence = { save: () => {}, load: () => {} };

export function filePersistence(stateDir: string, masterKey: MasterKey): KmsPersistence {
  const path = join(stateDir, STATE_FILE);
  return {
    save(store) {
      writeFileAtomic(path, serialize(store, masterKey), 0o600);
    },
    load(store) {
      if (!existsSync(path)) return;
      const parsed = StateSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`${path} is not a KMS state file this version can read (${issue ? `${issue.path.join(".")}: ${issue.message}` : "unknown problem"})`);
      }
      for (const saved of parsed.data.keys) {
        const backingKeys: BackingKey[] = saved.backingKeys.map((backing) => {
          const material = masterKey.unwrap(Buffer.from(backing.wrapped, "base64"), wrapPurpose(saved.id, backing.id));
          if (!material) throw new Error(`${path}: key material ${backing.id} of key ${saved.id} does not unwrap with this state directory's master.key`);
          return { id: backing.id, material, createdAt: backing.createdAt };
        });
        const key: KmsKey = {
          ...saved,
          arn: keyArnOf(store.region, saved.accountId, saved.id),
          policyText: saved.policy,
          policy: parseKeyPolicy(saved.policy),
          backingKeys,
        };
        store.addKey(key);
      }
      for (const alias of parsed.data.aliases) store.putAlias(alias satisfies Alias);
    },
  };
}
