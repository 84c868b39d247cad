import "server-only";
import { createHash } from "node:crypto";
import { Transform, type Readable, type TransformCallback } from "node:stream";

/** Passes the Encryption SDK message through unchanged, hashing it on the way to the blob store. */
export class CiphertextDigest extends Transform {
  private readonly hash = createHash("sha256");
  bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    done(null, chunk);
  }

  digestHex(): string {
    return this.hash.digest("hex");
  }
}

/** SHA-256 and length of a whole stored blob, read once without keeping it. */
export async function digestOf(blob: Readable): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of blob) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), bytes };
}
