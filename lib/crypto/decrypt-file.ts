import "server-only";
import type { Readable } from "node:stream";
import type { KmsKeyringClient } from "../aws";
import { assertEncryptionContext } from "./encryption-context";
import { cachedKeyring, keyringFor, sdk } from "./sdk-client";

export interface DecryptFileInput {
  ciphertext: Readable;
  kms: KmsKeyringClient;
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
 */
export function openDecryptedFile(input: DecryptFileInput): Promise<Readable> {
  const materials = input.dataKeyPartition ? cachedKeyring(input.keyArn, input.kms, input.dataKeyPartition) : keyringFor(input.keyArn, input.kms);
  const decrypt: Readable = sdk.decryptUnsignedMessageStream(materials, { maxBodySize: input.maxFrameBytes });
  input.ciphertext.once("error", (error) => decrypt.destroy(error));
  input.ciphertext.pipe(decrypt as unknown as NodeJS.WritableStream);
  return new Promise<Readable>((resolve, reject) => {
    const fail = (error: unknown) => {
      decrypt.removeListener("MessageHeader", onHeader);
      input.ciphertext.destroy();
      decrypt.destroy();
      reject(error instanceof Error ? error : new Error(String(error)));
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
