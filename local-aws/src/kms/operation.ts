import type { CallInfo, Caller } from "../contracts";
import type { Input } from "./input";
import { resolveKey, type KeyReferenceRules, type ResolvedKey } from "./key-reference";
import type { KeyStore } from "./key-store";
import type { KmsKey } from "./model";

export interface OperationResult {
  output: Record<string, unknown>;
  /**
   * Whether CloudTrail's responseElements show the output. As in AWS, only operations that change a key
   * do; reads and cryptographic operations (whose outputs hold key material) log null.
   */
  logOutput?: boolean;
}

/** One call in progress: what an operation needs, and the keys it touched (CloudTrail's resources). */
export class CallScope {
  readonly touched: KmsKey[] = [];

  constructor(
    readonly store: KeyStore,
    readonly call: CallInfo,
  ) {}

  get caller(): Caller {
    return this.call.caller;
  }

  get now(): Date {
    return this.call.now;
  }

  resolve(keyId: string, rules: KeyReferenceRules): ResolvedKey {
    const resolved = resolveKey(this.store, this.caller, keyId, rules, this.now);
    this.touch(resolved.key);
    return resolved;
  }

  touch(key: KmsKey): void {
    if (!this.touched.includes(key)) this.touched.push(key);
  }
}

export type Operation = (scope: CallScope, input: Input) => OperationResult | Promise<OperationResult>;

/** KeyId rules from the API reference: which forms each kind of operation accepts. */
export const KEY_OR_ALIAS_ANY_ACCOUNT: KeyReferenceRules = { aliases: true, crossAccount: true };
export const KEY_ANY_ACCOUNT: KeyReferenceRules = { aliases: false, crossAccount: true };
export const KEY_OWN_ACCOUNT: KeyReferenceRules = { aliases: false, crossAccount: false };
