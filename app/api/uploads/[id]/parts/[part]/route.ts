import { Readable } from "node:stream";
import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { receivePart } from "@/lib/exchanges";
import { withActor } from "@/lib/http/with-actor";

const PartNumberSchema = z.string().regex(/^[1-9]\d{0,6}$/).transform(Number);

/** One part's bytes, encrypted as they arrive into a blob of its own; sending a part again replaces it. */
export const PUT = withActor<{ id: string; part: string }>(async ({ request, actor, params }) => {
  const partNumber = PartNumberSchema.safeParse(params.part);
  if (!partNumber.success) throw new AppError("invalid_input", `part ${params.part}`, "The part number must be a whole number from 1.");
  if (!request.body) throw new AppError("upload_incomplete", "no request body");
  const body = Readable.fromWeb(request.body as import("node:stream/web").ReadableStream<Uint8Array>);
  return Response.json(await receivePart(actor, params.id, partNumber.data, body, request.signal), { status: 200 });
});
