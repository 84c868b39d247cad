import { newBackingKey } from "./ciphertext";
import type { Alias, KmsKey } from "./model";

const DAY_MS = 86_400_000;

export const keyArnOf = (region: string, accountId: string, keyId: string): string => `arn:aws:kms:${region}:${accountId}:key/${keyId}`;
export const aliasArnOf = (region: string, accountId: string, aliasName: string): string => `arn:aws:kms:${region}:${accountId}:${aliasName}`;

/**
 * All KMS state of one region, in memory. Time-driven changes (deletion after the waiting period,
 * automatic rotation) happen lazily when a key is looked up, so no timer has to run; `commit` is called
 * after every change and nowhere else, which keeps the cryptographic hot path free of disk writes.
 */
export class KeyStore {
  private readonly keysById = new Map<string, KmsKey>();
  private readonly aliasesByName = new Map<string, Alias>();

  constructor(
    readonly region: string,
    private readonly save: (store: KeyStore) => void,
  ) {}

  commit(): void {
    this.save(this);
  }

  /** A key by its UUID, in any account; undefined once its deletion date has passed. */
  key(id: string, now: Date): KmsKey | undefined {
    const key = this.keysById.get(id);
    if (!key) return undefined;
    if (key.state === "PendingDeletion" && key.deletionDate && key.deletionDate <= now) {
      this.remove(key);
      this.commit();
      return undefined;
    }
    if (this.rotateIfDue(key, now)) this.commit();
    return key;
  }

  keysOf(accountId: string, now: Date): KmsKey[] {
    return [...this.keysById.values()].filter((key) => key.accountId === accountId && this.key(key.id, now) !== undefined);
  }

  allKeys(): KmsKey[] {
    return [...this.keysById.values()];
  }

  addKey(key: KmsKey): void {
    this.keysById.set(key.id, key);
  }

  alias(accountId: string, name: string): Alias | undefined {
    return this.aliasesByName.get(`${accountId}\0${name}`);
  }

  aliasesOf(accountId: string): Alias[] {
    return [...this.aliasesByName.values()].filter((alias) => alias.accountId === accountId);
  }

  aliasesFor(keyId: string): Alias[] {
    return [...this.aliasesByName.values()].filter((alias) => alias.targetKeyId === keyId);
  }

  allAliases(): Alias[] {
    return [...this.aliasesByName.values()];
  }

  putAlias(alias: Alias): void {
    this.aliasesByName.set(`${alias.accountId}\0${alias.name}`, alias);
  }

  deleteAlias(alias: Alias): void {
    this.aliasesByName.delete(`${alias.accountId}\0${alias.name}`);
  }

  /** Adds a new generation of key material; earlier generations stay for decryption. */
  rotate(key: KmsKey, now: Date): void {
    key.backingKeys.push(newBackingKey(now));
  }

  private rotateIfDue(key: KmsKey, now: Date): boolean {
    const { rotation } = key;
    if (!rotation.enabled || key.state !== "Enabled" || !rotation.nextRotationDate || rotation.nextRotationDate > now) return false;
    this.rotate(key, now);
    rotation.nextRotationDate = new Date(now.getTime() + rotation.periodInDays * DAY_MS);
    return true;
  }

  private remove(key: KmsKey): void {
    this.keysById.delete(key.id);
    for (const alias of this.aliasesFor(key.id)) this.deleteAlias(alias);
  }
}

export function daysFrom(now: Date, days: number): Date {
  return new Date(now.getTime() + days * DAY_MS);
}
