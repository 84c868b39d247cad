import "server-only";
import {
  KMS,
  type DecryptCommandInput,
  type DecryptCommandOutput,
  type EncryptCommandInput,
  type EncryptCommandOutput,
  type GenerateDataKeyCommandInput,
  type GenerateDataKeyCommandOutput,
} from "@aws-sdk/client-kms";
import { getConfig } from "../config";
import { getRoleSession, type RoleSessionRequest } from "./role-sessions";

/** One KMS call made on behalf of an operation, for the audit trail. */
export interface KmsCallRecord {
  operation: "Encrypt" | "Decrypt" | "GenerateDataKey";
  requestId: string | undefined;
  errorCode?: string;
}

/** The three calls the Encryption SDK's KMS keyring makes; structurally what it expects as a client. */
export interface KmsKeyringClient {
  encrypt(input: EncryptCommandInput): Promise<EncryptCommandOutput>;
  decrypt(input: DecryptCommandInput): Promise<DecryptCommandOutput>;
  generateDataKey(input: GenerateDataKeyCommandInput): Promise<GenerateDataKeyCommandOutput>;
}

export interface KmsSession {
  client: KmsKeyringClient;
  /** Every KMS call made through `client`, successful or not, in order. */
  calls: KmsCallRecord[];
  roleSessionArn: string;
  stsRequestId: string | undefined;
}

const clients = new WeakMap<object, KMS>();

function errorCode(error: unknown): string {
  return error instanceof Error ? error.name : "UnknownError";
}

function requestIdOf(error: unknown): string | undefined {
  return (error as { $metadata?: { requestId?: string } } | null)?.$metadata?.requestId;
}

async function recorded<T extends { $metadata: { requestId?: string } }>(calls: KmsCallRecord[], operation: KmsCallRecord["operation"], run: () => Promise<T>): Promise<T> {
  try {
    const output = await run();
    calls.push({ operation, requestId: output.$metadata.requestId });
    return output;
  } catch (error) {
    calls.push({ operation, requestId: requestIdOf(error), errorCode: errorCode(error) });
    throw error;
  }
}

/** A KMS client that acts as the organization's role for this person, recording each call it makes. */
export async function openKmsSession(request: RoleSessionRequest): Promise<KmsSession> {
  const session = await getRoleSession(request);
  let kms = clients.get(session);
  if (!kms) {
    const config = getConfig();
    kms = new KMS({ region: config.region, endpoint: config.awsEndpoint, credentials: session.credentials, maxAttempts: 5 });
    clients.set(session, kms);
  }
  const sdk = kms;
  const calls: KmsCallRecord[] = [];
  return {
    calls,
    roleSessionArn: session.arn,
    stsRequestId: session.stsRequestId,
    client: {
      encrypt: (input) => recorded(calls, "Encrypt", () => sdk.encrypt(input)),
      decrypt: (input) => recorded(calls, "Decrypt", () => sdk.decrypt(input)),
      generateDataKey: (input) => recorded(calls, "GenerateDataKey", () => sdk.generateDataKey(input)),
    },
  };
}
