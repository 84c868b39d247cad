// Free of server-only: the custom server (server.ts) applies these bounds before a request reaches Next.
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import { APP_ERRORS, type AppErrorCode } from "../errors/app-error";
import type { HttpLimits } from "../config/load";

/**
 * The only requests whose bodies are streamed to storage (the route bounds them by the declared file size and
 * checks the session before reading a byte): part uploads and the single-request upload.
 */
const STREAMED_UPLOAD_PATH = /^\/api\/uploads\/[^/?#]+(?:\/parts\/[^/?#]+)?$/;

export function isStreamedUpload(method: string | undefined, url: string | undefined): boolean {
  return method === "PUT" && STREAMED_UPLOAD_PATH.test((url ?? "").split("?")[0] ?? "");
}

/** The same JSON error body as every route's (lib/http/respond.ts), for answers sent before Next is reached. */
export function errorBodyOf(code: AppErrorCode): string {
  const { message, retryable } = APP_ERRORS[code];
  return JSON.stringify({ error: { code, message, retryable } });
}

const REFUSAL_HEADERS = { "content-type": "application/json", "cache-control": "no-store", "x-content-type-options": "nosniff", connection: "close" };

/** Long enough for the refusal to reach a client still sending, so its next write fails instead of the read. */
const LINGER_MS = 1000;

/**
 * Answers on the socket itself, as Node does for its own timeouts: Next may be mid-way through the request and
 * owns the ServerResponse. The socket is closed only after a short linger: closing it at once, with body bytes
 * unread, sends a reset that makes a client still sending lose the answer (EPIPE instead of 413).
 */
function refuseOnSocket(request: IncomingMessage, response: ServerResponse, status: number, code: AppErrorCode): void {
  const socket = request.socket;
  if (socket.destroyed) return;
  if (response.headersSent || !socket.writable) {
    socket.destroy();
    return;
  }
  const body = errorBodyOf(code);
  const head = Object.entries({ ...REFUSAL_HEADERS, "content-length": String(Buffer.byteLength(body)) })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}\r\n${head}\r\n${body}`);
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

/**
 * Bounds one request's body before Next sees it: a declared Content-Length over the limit is refused at once,
 * without reading; a chunked body is counted as the parser delivers it and cut when it passes the limit; a body
 * that has not all arrived `requestTimeoutMs` after the headers is cut. Streamed uploads have no size cap here and
 * no deadline, but each `uploadRateWindowMs` must bring `uploadMinBytes`. Returns false when the request was
 * answered here and must not be handed to Next.
 */
export function boundRequest(request: IncomingMessage, response: ServerResponse, limits: HttpLimits): boolean {
  const upload = isStreamedUpload(request.method, request.url);
  const declared = request.headers["content-length"];
  if (!upload && declared !== undefined && Number(declared) > limits.maxBodyBytes) {
    refuseOnSocket(request, response, 413, "request_too_large");
    return false;
  }

  let received = 0;
  let cut = false;
  const refuse = (status: number, code: AppErrorCode) => {
    if (cut) return;
    cut = true;
    stopTimers();
    refuseOnSocket(request, response, status, code);
  };
  // eslint-disable-next-line @typescript-eslint/unbound-method -- saved to be called with .call(this) from the wrapper
  const push = request.push;
  request.push = function (this: IncomingMessage, chunk: unknown, encoding?: BufferEncoding) {
    if (cut) return false;
    if (chunk !== null && chunk !== undefined) {
      received += (chunk as Uint8Array).byteLength ?? 0;
      if (!upload && received > limits.maxBodyBytes) {
        refuse(413, "request_too_large");
        return false;
      }
    }
    return push.call(this, chunk, encoding);
  };

  // Bytes the parser holds for a handler that has not read them yet: the server, not the client, is slow then.
  const serverIsBehind = () => request.readableLength > 0;
  let timer: NodeJS.Timeout | undefined;
  const schedule = (check: () => void, ms: number) => (timer = setTimeout(check, ms).unref());
  const stopTimers = () => clearTimeout(timer);
  if (upload) {
    let atWindowStart = 0;
    const checkRate = () => {
      if (request.complete || cut) return;
      const arrived = received - atWindowStart;
      atWindowStart = received;
      if (arrived < limits.uploadMinBytes && !serverIsBehind()) refuse(408, "request_timeout");
      else schedule(checkRate, limits.uploadRateWindowMs);
    };
    schedule(checkRate, limits.uploadRateWindowMs);
  } else {
    const checkDeadline = () => {
      if (request.complete || cut) return;
      if (serverIsBehind()) schedule(checkDeadline, 1000);
      else refuse(408, "request_timeout");
    };
    schedule(checkDeadline, limits.requestTimeoutMs);
  }
  response.once("close", stopTimers);
  return true;
}
