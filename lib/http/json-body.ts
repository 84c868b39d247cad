import "server-only";
import { AppError } from "../errors/app-error";

/** Route handlers take small JSON documents; anything larger is refused before it is parsed. */
export const MAX_JSON_BODY_BYTES = 64 * 1024;

/**
 * The request's JSON body, or an AppError a client can act on: 415 for another Content-Type, 413 past the size
 * limit (counted while reading, whatever Content-Length claims), 400 for text that is not JSON.
 */
export async function readJsonBody(request: Request, maxBytes = MAX_JSON_BODY_BYTES): Promise<unknown> {
  const mediaType = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "application/json") throw new AppError("unsupported_media_type", `content-type ${mediaType || "(none)"}`);
  const tooLarge = new AppError("too_large", `JSON body over ${maxBytes} bytes`, `The request is larger than ${maxBytes / 1024} KB.`);
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) throw tooLarge;
  const chunks: Uint8Array[] = [];
  let received = 0;
  if (request.body) {
    for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
      received += chunk.byteLength;
      if (received > maxBytes) throw tooLarge;
      chunks.push(chunk);
    }
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new AppError("invalid_input", "body is not JSON", "The request body is not valid JSON.");
  }
}
