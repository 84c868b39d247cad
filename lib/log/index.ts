// The one logger: JSON lines on stdout (pino), each carrying the request id of the request it belongs to.
// No "server-only" import: server.ts loads this outside Next, and the bundled copies share one instance through
// processSingleton, so that server.ts's request context is the one route handlers log under.
import { AsyncLocalStorage } from "node:async_hooks";
import pino, { type DestinationStream, type Logger } from "pino";
import { processSingleton } from "../process-singleton";

const requests = processSingleton("request-context", () => new AsyncLocalStorage<{ requestId: string }>());

/** Runs one request's handling so that logs, audit events and AWS calls made for it carry its id. */
export function runWithRequestId<T>(requestId: string, work: () => T): T {
  return requests.run({ requestId }, work);
}

export function currentRequestId(): string | undefined {
  return requests.getStore()?.requestId;
}

// Field names whose values are secrets wherever they appear in a logged object, a few levels deep.
const SECRET_FIELDS = ["password", "code", "token", "secret", "authorization", "cookie", "plaintext", "Plaintext", "totpSecret", "recoveryCode", "sessionToken", "SessionToken", "SecretAccessKey", "credentials"];

/** The logger's settings, with the destination a test may replace (stdout otherwise). */
export function createLogger(destination?: DestinationStream): Logger {
  const options = {
    level: "info",
    base: { service: "keybridge" },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]), censor: "[redacted]" },
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

export const log: Logger = processSingleton("logger", () => createLogger());

/** The AWS SDK's request log, at debug level, through this logger (the SDK masks fields AWS marks sensitive). */
export function awsSdkLogger() {
  const sdk = log.child({ component: "aws-sdk" });
  return {
    debug: (...content: unknown[]) => sdk.debug({ sdk: content }),
    info: (...content: unknown[]) => sdk.info({ sdk: content }),
    warn: (...content: unknown[]) => sdk.warn({ sdk: content }),
    error: (...content: unknown[]) => sdk.error({ sdk: content }),
  };
}

/** An error as a log field: its name and message, never a stack that might quote data. */
export function errorField(error: unknown): { name: string; message: string } {
  return error instanceof Error ? { name: error.name, message: error.message } : { name: "NonError", message: String(error) };
}

// Secrets that travel in the path: a share link's token. Query strings are never logged (searches name files).
const TOKEN_IN_PATH = /^\/(l|api\/links)\/[^/?]+/;

/** The path of a request as it may be logged. */
export function loggablePath(url: string | undefined): string {
  const path = (url ?? "/").split("?")[0] ?? "/";
  return path.replace(TOKEN_IN_PATH, (_, prefix: string) => `/${prefix}/[token]`);
}
