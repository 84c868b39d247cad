import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * A refusal sent before the request body has all arrived (too large, storage full, not allowed) closes the
 * connection, as RFC 9112 §9.6 asks: otherwise the client may reuse a connection whose unread body the server is
 * still discarding, and its next request stalls and then fails.
 */
export function closeAfterEarlyResponse(request: IncomingMessage, response: ServerResponse): void {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- saved to be called with .apply(this) from the wrapper
  const { writeHead } = response;
  response.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse["writeHead"]>) {
    if (!request.complete) this.setHeader("connection", "close");
    return writeHead.apply(this, args);
  } as ServerResponse["writeHead"];
}
