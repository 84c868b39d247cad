import { Readable } from "node:stream";
import { AppError } from "@/lib/errors/app-error";
import { cancelUpload, receiveUpload } from "@/lib/exchanges";
import { withActor } from "@/lib/http/with-actor";

/** The file's bytes, streamed through the Encryption SDK as they arrive; nothing buffers the whole body. */
export const PUT = withActor<{ id: string }>(async ({ request, actor, params }) => {
  if (!request.body) throw new AppError("upload_incomplete", "no request body");
  const body = Readable.fromWeb(request.body as import("node:stream/web").ReadableStream<Uint8Array>);
  const received = await receiveUpload(actor, params.id, body, request.signal);
  return Response.json(received, { status: 200 });
});

export const DELETE = withActor<{ id: string }>(async ({ actor, params }) => {
  await cancelUpload(actor, params.id);
  return new Response(null, { status: 204 });
});
