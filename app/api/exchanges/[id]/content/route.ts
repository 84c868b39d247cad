import { Readable } from "node:stream";
import { openDownload } from "@/lib/exchanges";
import { attachmentDisposition } from "@/lib/http/content-disposition";
import { withActor } from "@/lib/http/with-actor";

/**
 * Decrypted content, streamed. Content-Length is the stored plaintext size, so a transfer that stops early because
 * a frame failed authentication is always seen as incomplete, never as a whole file.
 */
export const GET = withActor<{ id: string }>(async ({ actor, params }) => {
  const download = await openDownload(actor, params.id);
  return new Response(Readable.toWeb(download.stream) as ReadableStream<Uint8Array>, {
    status: 200,
    headers: {
      "Content-Type": "application/octet-stream",
      "Content-Length": String(download.size),
      "Content-Disposition": attachmentDisposition(download.fileName),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "sandbox; default-src 'none'",
      "X-Keybridge-Sha256": download.sha256,
    },
  });
});
