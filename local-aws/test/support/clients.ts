import { KMSClient } from "@aws-sdk/client-kms";
import { STSClient } from "@aws-sdk/client-sts";
import { REGION } from "./demo-world";

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** One attempt only, so that every error a test sees is the endpoint's answer to that one request. */
const common = (endpoint: string, credentials: Credentials, systemClockOffset?: number) => ({
  endpoint,
  region: REGION,
  credentials,
  maxAttempts: 1,
  ...(systemClockOffset !== undefined && { systemClockOffset }),
});

export const kmsClient = (endpoint: string, credentials: Credentials, systemClockOffset?: number): KMSClient =>
  new KMSClient(common(endpoint, credentials, systemClockOffset));

export const stsClient = (endpoint: string, credentials: Credentials, systemClockOffset?: number): STSClient =>
  new STSClient(common(endpoint, credentials, systemClockOffset));

/** Credentials of an STS response, in the shape the SDK clients take. */
export function sessionCredentials(response: { Credentials?: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } }): Credentials {
  const c = response.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error("the STS response holds no credentials");
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

/** Runs `fn` and returns the error it throws, failing when it does not. */
export async function rejection(fn: () => Promise<unknown>): Promise<Error & { name: string; $metadata?: { httpStatusCode?: number; requestId?: string } }> {
  try {
    await fn();
  } catch (error) {
    return error as Error & { name: string; $metadata?: { httpStatusCode?: number; requestId?: string } };
  }
  throw new Error("expected the call to fail, and it succeeded");
}
