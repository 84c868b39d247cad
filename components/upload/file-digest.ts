// SHA-256 in the browser, incrementally: WebCrypto's digest() takes one buffer, so hashing a file of gigabytes in
// order while its parts are sent needs a streaming hasher (hash-wasm's, compiled WebAssembly; the page's CSP allows
// it with 'wasm-unsafe-eval').
import { createSHA256, type IHasher } from "hash-wasm";

export interface Sha256 {
  update(bytes: Uint8Array): void;
  /** Lowercase hex; the hasher cannot be used afterwards. */
  hex(): string;
}

export async function sha256Hasher(): Promise<Sha256> {
  const hasher: IHasher = await createSHA256();
  hasher.init();
  return {
    update(bytes) {
      hasher.update(bytes);
    },
    hex() {
      return hasher.digest("hex");
    },
  };
}

/** The SHA-256 of one buffer (a part). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const hasher = await sha256Hasher();
  hasher.update(bytes);
  return hasher.hex();
}

export class FileUnreadableError extends Error {
  override name = "FileUnreadableError";
}

/**
 * Bytes [start, end) of the file, read now. The part is sent from this copy, not from the File, so that the bytes
 * hashed are exactly the bytes sent even if the file changes on disk meanwhile.
 */
export async function readSlice(file: Blob, start: number, end: number): Promise<Uint8Array<ArrayBuffer>> {
  try {
    return new Uint8Array(await file.slice(start, end).arrayBuffer());
  } catch (error) {
    // Chromium refuses to read a File that changed, moved or was deleted after it was chosen (NotReadableError).
    throw new FileUnreadableError(error instanceof Error ? error.name : "read failed");
  }
}
