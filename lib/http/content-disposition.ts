/**
 * An attachment header that every browser saves under the original name (RFC 6266 with an RFC 5987 filename*),
 * with an ASCII fallback. Control characters, path separators and bidi overrides never reach the header.
 */
export function attachmentDisposition(fileName: string): string {
  const cleaned = fileName
    .normalize("NFC")
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "")
    .replace(/[\\/]/g, "_")
    .replace(/^\.+$/, "download")
    .trim() || "download";
  const ascii = cleaned.replace(/[^\x20-\x7e]/g, "_").replace(/["%;\\]/g, "_");
  const encoded = encodeURIComponent(cleaned).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
