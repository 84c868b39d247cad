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
  return new Response(Readable.toWeb(download.stream) as ReadableStream<Uint8Array>, {
    status: 200,
    headers: {
      "Content-Type": "application/octet-stream",
      [DECLARED_LENGTH_HEADER]: String(download.size),
      "Content-Disposition": attachmentDisposition(download.fileName),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "sandbox; default-src 'none'",
      "Referrer-Policy": "no-referrer",
      "X-Keybridge-Sha256": download.sha256,
    },
  });
}
