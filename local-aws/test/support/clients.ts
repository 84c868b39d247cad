import assert from "node:assert/strict";
import { CreateKeyCommand, KMSClient, type CreateKeyCommandInput } from "@aws-sdk/client-kms";
import { STSClient } from "@aws-sdk/client-sts";
import { REGION } from "./demo-world";
import { startLocalAws, type LocalAws } from "./start-local-aws";

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

/** A fresh server and a KMS client signed with `credentials`, for a test file whose calls all come from one principal. */
export async function startLocalAwsWithKms(credentials: Credentials): Promise<{ aws: LocalAws; kms: KMSClient }> {
  const aws = await startLocalAws();
  return { aws, kms: kmsClient(aws.url, credentials) };
}

/** Creates a key and returns its id and ARN, which every CreateKey answer must hold. */
export async function createKey(kms: KMSClient, input: CreateKeyCommandInput = {}): Promise<{ id: string; arn: string }> {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand(input));
  assert.ok(KeyMetadata?.KeyId && KeyMetadata.Arn);
  return { id: KeyMetadata.KeyId, arn: KeyMetadata.Arn };
}
