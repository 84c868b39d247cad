// Wildcard matching for Action, Resource, StringLike and ArnLike. A hand-written matcher instead of
// regexes: policy strings vary per caller once variables are substituted, so a regex cache would grow
// without bound, and this loop allocates nothing.

/**
 * Stand-ins for the `${*}` and `${?}` policy variables (and for `*`/`?` inside substituted values):
 * they must match a literal `*` or `?` in the request, never act as wildcards.
 */
export const LITERAL_STAR = "\u0000";
export const LITERAL_QUESTION = "\u0001";

const STAR = 42;
const QUESTION = 63;

function sameChar(patternCode: number, valueCode: number): boolean {
  if (patternCode === valueCode) return true;
  if (patternCode === 0) return valueCode === STAR;
  if (patternCode === 1) return valueCode === QUESTION;
  return false;
}

/** `*` matches any run of characters (including none), `?` exactly one; case-sensitive. */
export function wildcardMatch(pattern: string, value: string): boolean {
  let p = 0;
  let v = 0;
  let star = -1;
  let resume = 0;
  while (v < value.length) {
    const pc = p < pattern.length ? pattern.charCodeAt(p) : -1;
    if (pc === STAR) {
      star = p++;
      resume = v;
    } else if (pc !== -1 && (pc === QUESTION || sameChar(pc, value.charCodeAt(v)))) {
      p++;
      v++;
    } else if (star >= 0) {
      p = star + 1;
      v = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern.charCodeAt(p) === STAR) p++;
  return p === pattern.length;
}

/** Turns the literal stand-ins back into characters, for operators that compare without wildcards. */
export function literal(text: string): string {
  if (text.indexOf(LITERAL_STAR) < 0 && text.indexOf(LITERAL_QUESTION) < 0) return text;
  return text.replaceAll(LITERAL_STAR, "*").replaceAll(LITERAL_QUESTION, "?");
}

/** Actions are case-insensitive ("KMS:decrypt" is kms:Decrypt). */
export function actionMatches(pattern: string, action: string): boolean {
  return wildcardMatch(pattern.toLowerCase(), action.toLowerCase());
}

/** The six colon-separated parts of an ARN; the last one keeps any further colons. */
function splitArn(arn: string): string[] | null {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < 5; i++) {
    const colon = arn.indexOf(":", start);
    if (colon < 0) return null;
    parts.push(arn.slice(start, colon));
    start = colon + 1;
  }
  parts.push(arn.slice(start));
  return parts;
}

/**
 * ArnEquals/ArnLike: each of the six parts is matched on its own, so a `*` never spans a colon
 * (IAM User Guide, "Amazon Resource Name (ARN) condition operators").
 */
export function arnLike(pattern: string, arn: string): boolean {
  const p = splitArn(pattern);
  const a = splitArn(arn);
  if (!p || !a) return false;
  for (let i = 0; i < 6; i++) {
    if (!wildcardMatch(p[i] as string, a[i] as string)) return false;
  }
  return true;
}
