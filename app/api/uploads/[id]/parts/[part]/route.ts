import { Readable } from "node:stream";
import { PART_SHA256_HEADER, PartNumberParamSchema, Sha256HexSchema, type PartReceipt } from "@/lib/contract/transfer";
import { AppError } from "@/lib/errors/app-error";
import { receivePart } from "@/lib/exchanges";
import { withActor } from "@/lib/http/with-actor";

/**
 * One part's bytes, encrypted as they arrive into a blob of its own; sending a part again replaces it. The part's
 * plaintext SHA-256, as the client read it, is required: the server keeps the part only if it encrypted those bytes.
 */
export const PUT = withActor<{ id: string; part: string }>(async ({ request, actor, params }) => {
  const partNumber = PartNumberParamSchema.safeParse(params.part);
  if (!partNumber.success) throw new AppError("invalid_input", `part ${params.part}`, "The part number must be a whole number from 1.");
  const declared = Sha256HexSchema.safeParse(request.headers.get(PART_SHA256_HEADER)?.trim().toLowerCase());
  if (!declared.success)
    throw new AppError("invalid_input", `part ${partNumber.data} without a valid ${PART_SHA256_HEADER}`, `Each part must carry the SHA-256 of its bytes (64 hexadecimal characters) in the ${PART_SHA256_HEADER} header.`);
  if (!request.body) throw new AppError("upload_incomplete", "no request body");
  const body = Readable.fromWeb(request.body as import("node:stream/web").ReadableStream<Uint8Array>);
  const receipt: PartReceipt = await receivePart(actor, params.id, partNumber.data, declared.data, body, request.signal);
  return Response.json(receipt, { status: 200 });
});
