import type { ServerResponse } from "node:http";

/** Route handlers put the body's exact length here; Next 16 drops Content-Length from route handler responses. */
export const DECLARED_LENGTH_HEADER = "x-keybridge-declared-length";

function byteLength(chunk: unknown, encoding?: unknown): number {
  if (typeof chunk === "string") return Buffer.byteLength(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
  return chunk instanceof Uint8Array ? chunk.byteLength : 0;
}

/**
 * Turns a declared length into a real Content-Length, and destroys the socket instead of ending the response when
 * the body comes up short (a frame failed authentication mid-download), so that every client sees a failed
 * transfer and never a complete-looking file.
 */
export function enforceDeclaredLength(response: ServerResponse): void {
  let declared: number | null = null;
  let written = 0;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- saved to be called with .apply(this) from the wrappers
  const { writeHead, write, end } = response;

  response.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse["writeHead"]>) {
    const value = this.getHeader(DECLARED_LENGTH_HEADER);
    if (value !== undefined) {
      this.removeHeader(DECLARED_LENGTH_HEADER);
      if (/^\d+$/.test(String(value))) {
        declared = Number(value);
        this.setHeader("content-length", String(declared));
      }
    }
    return writeHead.apply(this, args);
  } as ServerResponse["writeHead"];

  response.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    written += byteLength(chunk, rest[0]);
    return (write as (...args: unknown[]) => boolean).apply(this, [chunk, ...rest]);
  } as ServerResponse["write"];

  response.end = function (this: ServerResponse, ...args: unknown[]) {
    const [chunk] = args;
    if (chunk !== undefined && typeof chunk !== "function") written += byteLength(chunk, args[1]);
    if (declared !== null && written < declared) {
      this.destroy(new Error(`response body ended after ${written} of ${declared} declared bytes`));
      return this;
    }
    return (end as (...endArgs: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse["end"];
}
