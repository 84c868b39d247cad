import "server-only";
import { Readable } from "node:stream";
import type { ExchangeDownload } from "../exchanges";
import { attachmentDisposition } from "./content-disposition";
import { DECLARED_LENGTH_HEADER } from "./declared-length";

/**
 * Decrypted content as an attachment that is never cached, sniffed or rendered. The declared length (Content-Length,
 * set by server.ts) is the stored plaintext size, so a transfer that stops early because a frame failed
 * authentication is always seen as incomplete.
 */
export function downloadResponse(download: ExchangeDownload): Response {
  const { range } = download;
  return new Response(Readable.toWeb(download.stream) as ReadableStream<Uint8Array>, {
    status: range ? 206 : 200,
    headers: {
      "Content-Type": "application/octet-stream",
      [DECLARED_LENGTH_HEADER]: String(range ? range.end - range.start + 1 : download.size),
      ...(range ? { "Content-Range": `bytes ${range.start}-${range.end}/${download.size}` } : {}),
      // Parted exchanges resume at any byte; a browser or download manager continues a broken download with Range.
      "Accept-Ranges": download.etag ? "bytes" : "none",
      ...(download.etag ? { ETag: download.etag } : {}),
      ...(download.sha256 ? { "X-Keybridge-Sha256": download.sha256 } : {}),
      "Content-Disposition": attachmentDisposition(download.fileName),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "sandbox; default-src 'none'",
      "Referrer-Policy": "no-referrer",
    },
  });
}
