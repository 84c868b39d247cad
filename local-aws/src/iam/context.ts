import type { ConditionContext } from "../contracts";

/** Condition context keyed by lower-cased key: context key names are not case-sensitive in AWS. */
export type NormalizedContext = ReadonlyMap<string, readonly string[]>;

const normalized = new WeakMap<ConditionContext, NormalizedContext>();

/**
 * Keys that differ only in case are one condition key to IAM, so their values are pooled
 * (two encryption context keys "Dept" and "dept" both answer kms:EncryptionContext:dept).
 */
export function normalizeContext(context: ConditionContext): NormalizedContext {
  const cached = normalized.get(context);
  if (cached) return cached;
  const map = new Map<string, string[]>();
  for (const [key, values] of Object.entries(context)) {
    const lower = key.toLowerCase();
    const existing = map.get(lower);
    map.set(lower, existing ? [...existing, ...values] : values);
  }
  normalized.set(context, map);
  return map;
}

/** `over` replaces keys of `base` (service keys over global keys), whatever their case. */
export function mergeContexts(base: ConditionContext, over: ConditionContext): NormalizedContext {
  const merged = new Map(normalizeContext(base));
  for (const [key, values] of normalizeContext(over)) merged.set(key, values);
  return merged;
}

/** A key with no values counts as absent, as AWS treats an empty data set. */
export function contextValues(context: NormalizedContext, key: string): readonly string[] | undefined {
  const values = context.get(key.toLowerCase());
  return values && values.length > 0 ? values : undefined;
}
