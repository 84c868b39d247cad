/**
 * Where to go after signing in: only a same-origin relative path ("/inbox", "/exchanges/…?x=1"), never another
 * origin ("//evil.example", "/\\evil.example", "https://…") and never back into the auth endpoints.
 */
export function safeCallbackPath(raw: string | null | undefined, fallback = "/inbox"): string {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 2000) return fallback;
  if (!raw.startsWith("/") || raw.startsWith("//") || raw.includes("\\")) return fallback;
  // Control characters and whitespace can be stripped by URL parsers into something that is no longer relative.
  if (/[\u0000-\u001f\u007f\s]/.test(raw)) return fallback;
  let parsed: URL;
  try {
    parsed = new URL(raw, "http://keybridge.invalid");
  } catch {
    return fallback;
  }
  if (parsed.origin !== "http://keybridge.invalid") return fallback;
  if (parsed.pathname === "/signin" || parsed.pathname.startsWith("/api/")) return fallback;
  return `${parsed.pathname}${parsed.search}${parsed.hash}`;
}
