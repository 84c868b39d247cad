import type { ConditionContext } from "../contracts";

/** Condition context keyed by lower-cased key: context key names are not case-sensitive in AWS. */
export type NormalizedContext = ReadonlyMap<string, readonly string[]>;

/**
 * Keys that differ only in case are one condition key to IAM, so their values are pooled
 * (two encryption context keys "Dept" and "dept" both answer kms:EncryptionContext:dept).
 */
export function normalizeContext(context: ConditionContext): Map<string, readonly string[]> {
  const map = new Map<string, readonly string[]>();
  for (const [key, values] of Object.entries(context)) {
    const lower = key.toLowerCase();
    const existing = map.get(lower);
    map.set(lower, existing ? [...existing, ...values] : values);
  }
  return map;
}

/** A key with no values counts as absent, as AWS treats an empty data set. */
export function contextValues(context: NormalizedContext, key: string): readonly string[] | undefined {
  const values = context.get(key.toLowerCase());
  return values && values.length > 0 ? values : undefined;
}
