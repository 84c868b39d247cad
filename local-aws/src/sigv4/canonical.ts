/** RFC 3986 encoding as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~ is percent-encoded. */
export function escapeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Services other than S3 sign the path as the client sent it, normalized and then encoded again ("double-encoded"):
 * `/a%20b` is signed as `/a%2520b`.
 */
export function canonicalUri(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const normalized = `/${segments.join("/")}${segments.length > 0 && rawPath.endsWith("/") ? "/" : ""}`;
  return escapeRfc3986(normalized).replace(/%2F/g, "/");
}

/** Each name and value decoded, re-encoded strictly, sorted by name and then value. */
export function canonicalQuery(rawQuery: string): string {
  if (!rawQuery) return "";
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? "" : part.slice(eq + 1);
    if (name === "X-Amz-Signature") continue;
    pairs.push([escapeRfc3986(safeDecode(name)), escapeRfc3986(safeDecode(value))]);
  }
  pairs.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join("&");
}

/** `name:value\n` for each signed header; repeated headers joined with commas, values trimmed and inner runs of spaces collapsed. */
export function canonicalHeaders(signedHeaders: string[], rawHeaders: string[]): string | null {
  const wanted = new Map<string, string[]>(signedHeaders.map((name) => [name, []]));
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const values = wanted.get((rawHeaders[i] as string).toLowerCase());
    if (values) values.push((rawHeaders[i + 1] as string).trim().replace(/\s+/g, " "));
  }
  let out = "";
  for (const [name, values] of wanted) {
    if (values.length === 0) return null;
    out += `${name}:${values.join(",")}\n`;
  }
  return out;
}
