import type { PolicyStatement } from "../contracts";
import { contextValues, type NormalizedContext } from "./context";
import { cidrContains } from "./ip";
import { arnLike, literal, wildcardMatch } from "./match";
import { substituteVariables } from "./variables";

type ConditionBlock = NonNullable<PolicyStatement["Condition"]>;
type RawValue = ConditionBlock[string][string];

interface Comparison {
  /** NotEquals, NotLike, NotIpAddress...: multiple policy values are a NOR instead of an OR. */
  negated: boolean;
  /** Policy variables are allowed in string, ARN and Bool values only (IAM User Guide, "Condition operators"). */
  variables: boolean;
  /** Does one request value match one policy value, before negation? */
  test(requestValue: string, policyValue: string): boolean;
}

function toNumber(text: string): number {
  return text.trim() === "" ? NaN : Number(text);
}

/** ISO 8601 (W3C profile) or epoch seconds, as the Date operators accept; milliseconds or NaN. */
function toTime(text: string): number {
  const trimmed = text.trim();
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  return Date.parse(trimmed);
}

function numeric(cmp: (a: number, b: number) => boolean, negated = false): Comparison {
  return {
    negated,
    variables: false,
    test: (r, p) => {
      const a = toNumber(r);
      const b = toNumber(p);
      return Number.isFinite(a) && Number.isFinite(b) && cmp(a, b);
    },
  };
}

function date(cmp: (a: number, b: number) => boolean, negated = false): Comparison {
  return {
    negated,
    variables: false,
    test: (r, p) => {
      const a = toTime(r);
      const b = toTime(p);
      return Number.isFinite(a) && Number.isFinite(b) && cmp(a, b);
    },
  };
}

const equals = (r: string, p: string) => r === literal(p);
const equalsIgnoreCase = (r: string, p: string) => r.toLowerCase() === literal(p).toLowerCase();
const like = (r: string, p: string) => wildcardMatch(p, r);
const arn = (r: string, p: string) => arnLike(p, r);
const eq = (a: number, b: number) => a === b;

const COMPARISONS: Record<string, Comparison> = {
  StringEquals: { negated: false, variables: true, test: equals },
  StringNotEquals: { negated: true, variables: true, test: equals },
  StringEqualsIgnoreCase: { negated: false, variables: true, test: equalsIgnoreCase },
  StringNotEqualsIgnoreCase: { negated: true, variables: true, test: equalsIgnoreCase },
  StringLike: { negated: false, variables: true, test: like },
  StringNotLike: { negated: true, variables: true, test: like },
  NumericEquals: numeric(eq),
  NumericNotEquals: numeric(eq, true),
  NumericLessThan: numeric((a, b) => a < b),
  NumericLessThanEquals: numeric((a, b) => a <= b),
  NumericGreaterThan: numeric((a, b) => a > b),
  NumericGreaterThanEquals: numeric((a, b) => a >= b),
  DateEquals: date(eq),
  DateNotEquals: date(eq, true),
  DateLessThan: date((a, b) => a < b),
  DateLessThanEquals: date((a, b) => a <= b),
  DateGreaterThan: date((a, b) => a > b),
  DateGreaterThanEquals: date((a, b) => a >= b),
  Bool: { negated: false, variables: true, test: equalsIgnoreCase },
  BinaryEquals: {
    negated: false,
    variables: false,
    test: (r, p) => Buffer.from(r, "base64").equals(Buffer.from(p, "base64")),
  },
  IpAddress: { negated: false, variables: false, test: (r, p) => cidrContains(p, r) },
  NotIpAddress: { negated: true, variables: false, test: (r, p) => cidrContains(p, r) },
  ArnEquals: { negated: false, variables: true, test: arn },
  ArnLike: { negated: false, variables: true, test: arn },
  ArnNotEquals: { negated: true, variables: true, test: arn },
  ArnNotLike: { negated: true, variables: true, test: arn },
};

interface Operator {
  set: "ForAllValues" | "ForAnyValue" | null;
  ifExists: boolean;
  /** null for the Null operator, which tests presence only. */
  comparison: Comparison | null;
}

// Session policies come from callers, so the caches stay bounded.
const CACHE_LIMIT = 1024;
const operators = new Map<string, Operator | null>();

function parseOperator(name: string): Operator | null {
  const cached = operators.get(name);
  if (cached !== undefined) return cached;
  let rest = name;
  let set: Operator["set"] = null;
  const colon = rest.indexOf(":");
  if (colon >= 0) {
    const qualifier = rest.slice(0, colon);
    if (qualifier === "ForAllValues" || qualifier === "ForAnyValue") set = qualifier;
    rest = rest.slice(colon + 1);
  }
  let operator: Operator | null = null;
  if (colon < 0 || set !== null) {
    if (rest === "Null") {
      operator = { set, ifExists: false, comparison: null };
    } else {
      const ifExists = rest.endsWith("IfExists");
      const comparison = COMPARISONS[ifExists ? rest.slice(0, -"IfExists".length) : rest];
      if (comparison) operator = { set, ifExists, comparison };
    }
  }
  if (operators.size < CACHE_LIMIT) operators.set(name, operator);
  return operator;
}

function policyValues(raw: RawValue): string[] {
  return Array.isArray(raw) ? raw.map(String) : [String(raw)];
}

function evaluateKey(operator: Operator, requestValues: readonly string[] | undefined, raw: RawValue, context: NormalizedContext, variables: boolean): boolean {
  const values = policyValues(raw);
  if (!operator.comparison) {
    // Null: "true" means the key must be absent, "false" that it must be present.
    const absent = requestValues === undefined;
    return values.some((v) => (v.toLowerCase() === "true") === absent);
  }
  if (requestValues === undefined) {
    // ForAllValues on a missing or empty key is true, ForAnyValue false (IAM User Guide, "Creating a
    // condition with multiple keys or values"). ForAnyValue stays false even with IfExists, as AWS
    // behaves (re:Post QU9HFmDzP0QGuU-fd7rS6B7w): the qualifier evaluates per value and there are none.
    if (operator.set === "ForAllValues") return true;
    if (operator.set === "ForAnyValue") return false;
    // "If the key ... is not present in the request context, the values do not match and the condition
    // is false. If the policy condition requires that the key is not matched, such as StringNotLike or
    // ArnNotLike, ... the condition is true" (IAM User Guide, "Condition operators"); IfExists makes it true.
    return operator.ifExists || operator.comparison.negated;
  }
  const { comparison } = operator;
  let resolved = values;
  if (variables && comparison.variables) {
    resolved = [];
    for (const value of values) {
      const substituted = substituteVariables(value, context);
      // An unresolvable variable makes the statement invalid: the condition cannot hold.
      if (substituted === null) return false;
      resolved.push(substituted);
    }
  }
  const matchesAny = (requestValue: string) => resolved.some((p) => comparison.test(requestValue, p));
  // Negated operators are a NOR over the policy values (IAM User Guide, "Evaluation logic for negated
  // matching condition operators"); set qualifiers then quantify over the request values.
  const holds = (requestValue: string) => matchesAny(requestValue) !== comparison.negated;
  if (operator.set === "ForAllValues") return requestValues.every(holds);
  if (operator.set === "ForAnyValue") return requestValues.some(holds);
  // Without a qualifier the key is taken as single-valued; should it carry several values, any match
  // decides (for a negated operator: no value may match).
  return comparison.negated ? requestValues.every(holds) : requestValues.some(holds);
}

/**
 * Operators and keys within a block are ANDed, values of one key ORed. Unknown operators never hold:
 * AWS rejects such policies when they are written, so no statement with one can apply.
 */
export function conditionsHold(block: ConditionBlock | undefined, context: NormalizedContext, variables: boolean): boolean {
  if (!block) return true;
  for (const [name, keys] of Object.entries(block)) {
    const operator = parseOperator(name);
    if (!operator) return false;
    for (const [key, raw] of Object.entries(keys)) {
      if (!evaluateKey(operator, contextValues(context, key), raw, context, variables)) return false;
    }
  }
  return true;
}
