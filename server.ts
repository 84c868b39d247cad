// The Keybridge web server: Next.js behind a plain Node HTTP server that knows the real TCP peer address.
import { createServer } from "node:http";
import next from "next";
import { ConfigError, loadConfig } from "./lib/config/load";
import { enforceDeclaredLength } from "./lib/http/declared-length";
import { closeAfterEarlyResponse } from "./lib/http/early-response";
import { PEER_ADDRESS_HEADER } from "./lib/net/client-address";

const dev = process.argv.includes("--dev");
const hostname = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 3000);

async function main(): Promise<void> {
  try {
    loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }

  const app = next({ dev, hostname, port });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = createServer((request, response) => {
    // Overwrite, never trust, a client-sent value: route handlers read the peer address only from here.
    request.headers[PEER_ADDRESS_HEADER] = request.socket.remoteAddress ?? "";
    enforceDeclaredLength(response);
    closeAfterEarlyResponse(request, response);
    void handle(request, response);
  });
  // Large uploads stream for minutes; the size limit and client aborts bound them, not a wall-clock timeout.
  server.requestTimeout = 0;
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
