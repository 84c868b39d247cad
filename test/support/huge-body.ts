import { randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";

/** 256 MB: what grew the server by over 1 GB through the sign-in guard before bodies were bounded (issue 12). */
export const HUGE = 256 * 1024 * 1024;

export interface HugeResult {
  status: number;
  body: string;
  connection: string | undefined;
  bytesSent: number;
}

/**
 * POSTs `HUGE` bytes made on the fly (never held in memory), with or without a declared Content-Length, and
 * resolves with the server's answer as soon as it arrives, then drops the connection.
 */
export function postHuge(baseUrl: string, path: string, headers: Record<string, string>, declareLength: boolean, method = "POST"): Promise<HugeResult> {
  const url = new URL(path, baseUrl);
  const chunk = randomBytes(1024 * 1024);
  return new Promise((resolve, reject) => {
    let bytesSent = 0;
    let answered = false;
    const request = httpRequest(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers: { ...headers, ...(declareLength ? { "content-length": String(HUGE) } : {}) } },
      (response) => {
        answered = true;
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (text: string) => (body += text));
        const done = () => {
          resolve({ status: response.statusCode ?? 0, body, connection: response.headers.connection, bytesSent });
          request.destroy();
        };
        response.once("end", done);
        response.once("error", done);
        response.once("aborted", done);
      },
    );
    request.on("error", (error) => {
      if (!answered) reject(new Error(`no answer after ${bytesSent} bytes: ${error.message}`));
    });
    const pump = () => {
      while (!answered && !request.destroyed && bytesSent < HUGE) {
        bytesSent += chunk.length;
        if (!request.write(chunk)) {
          request.once("drain", pump);
          return;
        }
      }
      if (bytesSent >= HUGE && !request.destroyed) request.end();
    };
    pump();
  });
}
