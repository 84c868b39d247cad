import { contextValues, type NormalizedContext } from "./context";
import { LITERAL_QUESTION, LITERAL_STAR } from "./match";

const VARIABLE = /\$\{([^}]*)\}/g;
const WITH_DEFAULT = /^(.*?)\s*,\s*'(.*)'$/;

/** Substituted text is data, never a wildcard: a tag value "a*" must match only "a*". */
function asLiteral(value: string): string {
  return value.replaceAll("*", LITERAL_STAR).replaceAll("?", LITERAL_QUESTION);
}

/**
 * Replaces `${key}`, `${key, 'default'}`, `${*}`, `${?}` and `${$}` (IAM User Guide, "IAM policy elements:
 * Variables and tags"). Returns null when a variable cannot be resolved: AWS then treats the statement
 * as not matching. Only single-valued keys can be variables.
 */
export function substituteVariables(text: string, context: NormalizedContext): string | null {
  if (text.indexOf("${") < 0) return text;
  let unresolved = false;
  const result = text.replace(VARIABLE, (_whole, body: string) => {
    const inner = body.trim();
    if (inner === "*") return LITERAL_STAR;
    if (inner === "?") return LITERAL_QUESTION;
    if (inner === "$") return "$";
    const withDefault = WITH_DEFAULT.exec(inner);
    const key = withDefault ? (withDefault[1] as string) : inner;
    const values = contextValues(context, key);
    if (values && values.length === 1) return asLiteral(values[0] as string);
    if (withDefault) return asLiteral(withDefault[2] as string);
    unresolved = true;
    return "";
  });
  return unresolved ? null : result;
}
