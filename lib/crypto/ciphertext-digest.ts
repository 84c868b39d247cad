import "server-only";
import { createHash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";

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
