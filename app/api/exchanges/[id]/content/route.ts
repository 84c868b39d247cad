import { Readable } from "node:stream";
import { openDownload } from "@/lib/exchanges";
import { attachmentDisposition } from "@/lib/http/content-disposition";
import { DECLARED_LENGTH_HEADER } from "@/lib/http/declared-length";
import { withActor } from "@/lib/http/with-actor";

/**
 * Decrypted content, streamed. The declared length (Content-Length, set by server.ts) is the stored plaintext size,
 * so a transfer that stops early because a frame failed authentication is always seen as incomplete.
 */
export const GET = withActor<{ id: string }>(async ({ actor, params }) => {
  const download = await openDownload(actor, params.id);
  return new Response(Readable.toWeb(download.stream) as ReadableStream<Uint8Array>, {
    status: 200,
    headers: {
      "Content-Type": "application/octet-stream",
      [DECLARED_LENGTH_HEADER]: String(download.size),
      "Content-Disposition": attachmentDisposition(download.fileName),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "sandbox; default-src 'none'",
      "X-Keybridge-Sha256": download.sha256,
    },
  });
});
