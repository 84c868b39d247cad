import "server-only";
import { getConfig } from "../config";

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
    ...(config.logLevel === "debug" ? { logger: console } : {}),
  };
}
