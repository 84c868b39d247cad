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
import { type AppError, asAppError, isAppError, translatingFailures } from "../errors/app-error";
import { awsClientOptions, withRequestIds } from "./client-options";
import { keyServiceFailure } from "./errors";
import { forgetRoleSession, getRoleSession, type RoleSession, type RoleSessionRequest } from "./role-sessions";

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
  /**
   * The AppError for a failure of work done with this session. The Encryption SDK wraps the KMS client's errors in
   * its own, so the session's last call decides: if it failed, that is the key service's answer.
   */
  failure(error: unknown): AppError;
}

const clients = new WeakMap<object, KMS>();

/** AWS's error name, or for a network failure (whose name is just "Error") its errno code such as ECONNREFUSED. */
function errorCode(error: unknown): string {
  if (!(error instanceof Error)) return "UnknownError";
  const code = (error as { code?: unknown }).code;
  return error.name === "Error" && typeof code === "string" ? code : error.name;
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

function kmsClientFor(session: RoleSession): KMS {
  let kms = clients.get(session);
  if (!kms) {
    kms = withRequestIds(new KMS({ ...awsClientOptions(5), credentials: session.credentials }));
    clients.set(session, kms);
  }
  return kms;
}

const EXPIRED_TOKEN = new Set(["ExpiredTokenException", "ExpiredToken"]);

/** A KMS client that acts as the organization's role for this person, recording each call it makes. */
export async function openKmsSession(request: RoleSessionRequest): Promise<KmsSession> {
  const roleSession = () => translatingFailures(() => getRoleSession(request), (error) => keyServiceFailure(error));
  let session = await roleSession();
  const calls: KmsCallRecord[] = [];
  // Credentials AWS calls expired are replaced once by a fresh AssumeRole and the call repeated; the audit trail
  // then names the session that did the work.
  const call = async <T extends { $metadata: { requestId?: string } }>(operation: KmsCallRecord["operation"], run: (kms: KMS) => Promise<T>): Promise<T> => {
    try {
      return await recorded(calls, operation, () => run(kmsClientFor(session)));
    } catch (error) {
      if (!EXPIRED_TOKEN.has(errorCode(error))) throw error;
      await forgetRoleSession(request, session);
      session = await roleSession();
      return recorded(calls, operation, () => run(kmsClientFor(session)));
    }
  };
  return {
    calls,
    get roleSessionArn() {
      return session.arn;
    },
    get stsRequestId() {
      return session.stsRequestId;
    },
    failure(error) {
      if (isAppError(error)) return error;
      const last = calls.at(-1);
      // When the last KMS call succeeded, the key service is not what failed.
      return last?.errorCode ? keyServiceFailure(error, [last.errorCode]) : asAppError(error);
    },
    client: {
      encrypt: (input) => call("Encrypt", (kms) => kms.encrypt(input)),
      decrypt: (input) => call("Decrypt", (kms) => kms.decrypt(input)),
      generateDataKey: (input) => call("GenerateDataKey", (kms) => kms.generateDataKey(input)),
    },
  };
}
