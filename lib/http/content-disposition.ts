/**
 * An attachment header that every browser saves under the original name (RFC 6266 with an RFC 5987 filename*),
 * with an ASCII fallback. Control characters, path separators and bidi overrides never reach the header.
 */
export function attachmentDisposition(fileName: string): string {
  const cleaned = bounded(
    fileName
      // A lone surrogate (possible in JSON input) would make encodeURIComponent throw.
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd")
      .normalize("NFC")
      .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "")
      .replace(/[\\/]/g, "_")
      .trim()
      .replace(/^\.*$/, "download"),
  );
  const ascii = cleaned.replace(/[^\x20-\x7e]/g, "_").replace(/["%;\\]/g, "_");
  const encoded = encodeURIComponent(cleaned).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Longer names are cut, keeping a short extension, so the header stays far below any server's header limit. */
export const MAX_DOWNLOAD_NAME_CHARACTERS = 200;

function bounded(name: string): string {
  const characters = [...name];
  if (characters.length <= MAX_DOWNLOAD_NAME_CHARACTERS) return name;
  const extension = /\.[^.\s]{1,15}$/.exec(name)?.[0] ?? "";
  return characters.slice(0, MAX_DOWNLOAD_NAME_CHARACTERS - extension.length).join("").trimEnd() + extension;
}
