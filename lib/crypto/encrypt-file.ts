import "server-only";
import { pipeline } from "node:stream/promises";
import type { Readable, Writable } from "node:stream";
import type { KmsSession } from "../aws";
import { PlaintextMeter } from "./plaintext-meter";
import { ALGORITHM_SUITE, cachedKeyring, keyringFor, sdk } from "./sdk-client";

export interface EncryptFileInput {
  plaintext: Readable;
  /** Where the Encryption SDK message goes (a blob writer). */
  sink: Writable;
  /** The sender organization's role session; its failures become the AppErrors this function throws. */
  session: KmsSession;
  keyArn: string;
  encryptionContext: Record<string, string>;
  frameBytes: number;
  /** The exact size the sender declared; more or fewer bytes fail the upload. */
  expectedBytes: number;
  onProgress?: (bytes: number) => void;
  /** Set for the parts of one upload: they share a cached data key (see cachedKeyring). */
  dataKeyPartition?: string;
}

export interface EncryptFileResult {
  plaintextBytes: number;
  plaintextSha256: string;
}

/**
 * Streams plaintext through the Encryption SDK into `sink` in flat memory. On failure the encrypt stream is ended,
 * never destroyed: @aws-crypto/encrypt-node 5.0.2 joins its inner streams with a callback-less pipeline(), so
 * destroying it throws ERR_STREAM_PREMATURE_CLOSE as an uncaught exception. The caller discards the sink's output.
 * Throws only AppErrors: the key service's (through the session), the store's and the meter's as they are.
 */
export async function encryptFile(input: EncryptFileInput): Promise<EncryptFileResult> {
  const meter = new PlaintextMeter(input.expectedBytes, input.frameBytes, input.onProgress);
  const materials = input.dataKeyPartition ? cachedKeyring(input.keyArn, input.session.client, input.dataKeyPartition) : keyringFor(input.keyArn, input.session.client);
  const encrypt = sdk.encryptStream(materials, {
    suiteId: ALGORITHM_SUITE,
    encryptionContext: input.encryptionContext,
    frameLength: input.frameBytes,
    plaintextLength: input.expectedBytes,
  });
  const written = new Promise<void>((resolve, reject) => {
    encrypt.once("error", reject);
    input.sink.once("error", reject);
    input.sink.once("finish", resolve);
  });
  meter.pipe(encrypt);
  encrypt.pipe(input.sink);
  try {
    await Promise.all([pipeline(input.plaintext, meter), written]);
  } catch (error) {
    meter.unpipe(encrypt);
    encrypt.unpipe(input.sink);
    encrypt.on("error", () => undefined);
    encrypt.resume();
    encrypt.end();
    throw input.session.failure(error);
  }
  return { plaintextBytes: meter.bytes, plaintextSha256: meter.digestHex() };
}
