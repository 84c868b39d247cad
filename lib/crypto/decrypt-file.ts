import "server-only";
import type { Readable } from "node:stream";
import type { KmsSession } from "../aws";
import { type AppError, isAppError } from "../errors/app-error";
import { integrityFailure } from "../errors/integrity-failure";
import { translateStreamErrors } from "../errors/stream-errors";
import { assertEncryptionContext } from "./encryption-context";
import { cachedKeyring, keyringFor, sdk } from "./sdk-client";

export interface DecryptFileInput {
  ciphertext: Readable;
  /** The recipient organization's role session; its failures become the AppErrors this function throws. */
  session: KmsSession;
  keyArn: string;
  expectedContext: Record<string, string>;
  /** Largest frame accepted: a crafted header cannot make the server buffer more than this. */
  maxFrameBytes: number;
  /** Set for the parts of one download: a data key shared by several parts is decrypted by KMS once. */
  dataKeyPartition?: string;
}

interface MessageHeaderEvent {
  encryptionContext: Record<string, string>;
}

/**
 * Opens a verified plaintext stream. It resolves only after the message header was parsed, its data key decrypted
 * by KMS and its encryption context found equal to the expected one, so no byte is released for a message that
 * belongs to another exchange. Frames are released only after their tags verify (unsigned committing suite).
 * Fails, and the stream errors, only with AppErrors: a message the Encryption SDK refuses is an integrity failure.
 */
export function openDecryptedFile(input: DecryptFileInput): Promise<Readable> {
  const materials = input.dataKeyPartition ? cachedKeyring(input.keyArn, input.session.client, input.dataKeyPartition) : keyringFor(input.keyArn, input.session.client);
  const decrypt = translateStreamErrors(sdk.decryptUnsignedMessageStream(materials, { maxBodySize: input.maxFrameBytes }) as Readable, (error) => refusal(input.session, error));
  input.ciphertext.once("error", (error) => decrypt.destroy(error));
  input.ciphertext.pipe(decrypt as unknown as NodeJS.WritableStream);
  return new Promise<Readable>((resolve, reject) => {
    const fail = (error: unknown) => {
      decrypt.removeListener("MessageHeader", onHeader);
      input.ciphertext.destroy();
      decrypt.destroy();
      reject(refusal(input.session, error));
    };
    const onHeader = (header: MessageHeaderEvent) => {
      decrypt.removeListener("error", fail);
      try {
        assertEncryptionContext(input.expectedContext, header.encryptionContext);
      } catch (error) {
        fail(error);
        return;
      }
      resolve(decrypt);
    };
    decrypt.once("error", fail);
    decrypt.once("MessageHeader", onHeader);
  });
}

function refusal(session: KmsSession, error: unknown): AppError {
  const failure = session.failure(error);
  if (failure.code !== "internal" || isAppError(error)) return failure;
  return integrityFailure("message_refused", `the Encryption SDK refused the message: ${failure.internal ?? ""}`);
}
