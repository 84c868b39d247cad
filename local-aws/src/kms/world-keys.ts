import type { World } from "../world/schema";
import { newBackingKey } from "./ciphertext";
import { parseKeyPolicy } from "./key-policy";
import { daysFrom, keyArnOf, type KeyStore } from "./key-store";

const DEFAULT_ROTATION_PERIOD_DAYS = 365;

/**
 * Creates the world file's keys that the store does not hold yet, with their fixed ids, fresh key material,
 * policy, tags and aliases. Keys already in the store are left alone: state written at run time
 * (PutKeyPolicy, tags, aliases, key state, rotation) wins over the world file, so an edited world key
 * policy takes effect only for a new state directory. A world key deleted at run time (after its waiting
 * period) comes back on the next start with new key material. Returns whether anything was added.
 */
export function seedWorldKeys(store: KeyStore, world: World, now: Date): boolean {
  const existing = new Set(store.allKeys().map((key) => key.id));
  let added = false;
  for (const worldKey of world.keys) {
    if (existing.has(worldKey.id)) continue;
    const policyText = JSON.stringify(worldKey.policy, null, 2);
    store.addKey({
      id: worldKey.id,
      accountId: worldKey.account,
      arn: keyArnOf(store.region, worldKey.account, worldKey.id),
      description: worldKey.description,
      createdAt: now,
      state: worldKey.enabled ? "Enabled" : "Disabled",
      policyText,
      policy: parseKeyPolicy(policyText),
      tags: { ...worldKey.tags },
      backingKeys: [newBackingKey(now)],
      rotation: worldKey.rotationEnabled
        ? { enabled: true, periodInDays: DEFAULT_ROTATION_PERIOD_DAYS, nextRotationDate: daysFrom(now, DEFAULT_ROTATION_PERIOD_DAYS) }
        : { enabled: false, periodInDays: DEFAULT_ROTATION_PERIOD_DAYS },
      grants: [],
    });
    for (const name of worldKey.aliases) {
      if (!store.alias(worldKey.account, name)) store.putAlias({ name, accountId: worldKey.account, targetKeyId: worldKey.id, createdAt: now, updatedAt: now });
    }
    added = true;
  }
  return added;
}
