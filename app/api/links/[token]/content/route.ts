import { Readable } from "node:stream";
import { attachmentDisposition } from "@/lib/http/content-disposition";
import { DECLARED_LENGTH_HEADER } from "@/lib/http/declared-length";
import { withActor } from "@/lib/http/with-actor";
import { linkDownload } from "@/lib/links";

/** A share link's file, through the same decrypt path as an exchange download; the slot counts once every byte went out. */
export const GET = withActor<{ token: string }>(async ({ actor, params }) => {
  const download = await linkDownload(actor, params.token);
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
      "Referrer-Policy": "no-referrer",
    },
  });
});
