// The Keybridge web server: Next.js behind a plain Node HTTP server that knows the real TCP peer address.
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import next from "next";
import { ConfigError, loadConfig, type AppConfig } from "./lib/config/load";
import { boundRequest } from "./lib/http/body-limit";
import { enforceDeclaredLength } from "./lib/http/declared-length";
import { closeAfterEarlyResponse } from "./lib/http/early-response";
import { dropUntrustedForwarding } from "./lib/net/forwarded-headers";
import { PEER_ADDRESS_HEADER } from "./lib/net/client-address";
import { networkList } from "./lib/net/cidr";
import { errorField, log, loggablePath, runWithRequestId } from "./lib/log";

const dev = process.argv.includes("--dev");
const hostname = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 3000);

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    log.fatal({ error: "configuration" }, error.message);
    process.exit(1);
  }
  log.level = config.logLevel;

  const app = next({ dev, hostname, port });
  const handle = app.getRequestHandler();
  await app.prepare();

  const limits = config.http;
  const trustedProxies = networkList(config.trustedProxies);
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      // Node's own body deadline cannot spare uploads, which stream for minutes: boundRequest keeps one per request.
      requestTimeout: 0,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // Node looks for connections past headersTimeout this often (30 s by default, longer than the bound itself).
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
    },
    (request, response) => {
      // Overwrite, never trust, a client-sent value: route handlers read the peer address only from here.
      request.headers[PEER_ADDRESS_HEADER] = request.socket.remoteAddress ?? "";
      dropUntrustedForwarding(request.headers, request.socket.remoteAddress, trustedProxies);
      enforceDeclaredLength(response);
      closeAfterEarlyResponse(request, response);
      // One id per request, in every log line, audit event and AWS call it causes, and told to the client to quote.
      const requestId = randomUUID();
      response.setHeader("x-request-id", requestId);
      const started = process.hrtime.bigint();
      response.once("close", () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        log.info({ requestId, method: request.method, path: loggablePath(request.url), status: response.statusCode, ms: Math.round(ms), complete: response.writableFinished }, "request");
      });
      runWithRequestId(requestId, () => {
        if (boundRequest(request, response, limits)) void handle(request, response);
      });
    },
  );
  server.timeout = limits.idleTimeoutMs;
  // Tests and the demo wait for this exact sentence on stdout.
  server.listen(port, hostname, () => log.info({ url: `http://${hostname}:${port}` }, `keybridge ready on http://${hostname}:${port}`));

  const shutdown = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}

main().catch((error: unknown) => {
  log.fatal({ error: errorField(error) }, "the server could not start");
  process.exit(1);
});
