import "server-only";
import { getConfig } from "../config";
import { awsSdkLogger, currentRequestId } from "../log";

/**
 * What every KMS, STS and CloudTrail client shares: the endpoint (real AWS or local-aws), retries with backoff for
 * throttling and 5xx, timeouts so that a hung endpoint fails the call instead of holding an upload open, and, at
 * KEYBRIDGE_LOG_LEVEL=debug, the SDK's own request log (it masks fields AWS marks sensitive, such as Plaintext).
 */
export function awsClientOptions(maxAttempts: number) {
  const config = getConfig();
  return {
    region: config.region,
    endpoint: config.awsEndpoint,
    maxAttempts,
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 },
    ...(config.logLevel === "debug" ? { logger: awsSdkLogger() } : {}),
  };
}

/** The Keybridge request an AWS call was made for, in its User-Agent, so the key service's log and ours join up. */
export const REQUEST_ID_USER_AGENT_PREFIX = "keybridge-request/";

interface BuildArgs {
  input: object;
  request: unknown;
}
type BuildNext = (args: BuildArgs) => Promise<{ output: object; response: unknown }>;

const requestIdInUserAgent = (next: BuildNext) => async (args: BuildArgs) => {
  const requestId = currentRequestId();
  const request = args.request as { headers?: Record<string, string> };
  if (requestId && request.headers) request.headers["user-agent"] = `${request.headers["user-agent"] ?? ""} ${REQUEST_ID_USER_AGENT_PREFIX}${requestId}`.trim();
  return next(args);
};

/** Adds the request id to every call `client` makes (after the SDK has set its own User-Agent). */
export function withRequestIds<T extends { middlewareStack: { add(middleware: typeof requestIdInUserAgent, options: { step: "build"; priority: "low"; name: string }): void } }>(client: T): T {
  client.middlewareStack.add(requestIdInUserAgent, { step: "build", priority: "low", name: "keybridgeRequestId" });
  return client;
}
