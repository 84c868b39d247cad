// The Keybridge web server: Next.js behind a plain Node HTTP server that knows the real TCP peer address.
import { createServer } from "node:http";
import next from "next";
import { ConfigError, loadConfig, type AppConfig } from "./lib/config/load";
import { boundRequest } from "./lib/http/body-limit";
import { enforceDeclaredLength } from "./lib/http/declared-length";
import { closeAfterEarlyResponse } from "./lib/http/early-response";
import { dropUntrustedForwarding } from "./lib/net/forwarded-headers";
import { PEER_ADDRESS_HEADER } from "./lib/net/client-address";
import { networkList } from "./lib/net/cidr";

const dev = process.argv.includes("--dev");
const hostname = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 3000);

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }

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
      if (boundRequest(request, response, limits)) void handle(request, response);
    },
  );
  server.timeout = limits.idleTimeoutMs;
  server.listen(port, hostname, () => console.log(`keybridge ready on http://${hostname}:${port}`));

  const shutdown = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
