import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic-file";

const KEY_FILE = "master.key";
const WRAP_VERSION = 1;

/**
 * The local master key wraps every other secret local-aws keeps (KMS backing keys, session tokens).
 * With a state directory it lives in a 0600 file there; without one it lives only in memory.
 */
export class MasterKey {
  private constructor(private readonly key: Buffer) {}

  static loadOrCreate(stateDir: string | null): MasterKey {
    if (!stateDir) return new MasterKey(randomBytes(32));
    const path = join(stateDir, KEY_FILE);
    if (existsSync(path)) {
      const mode = statSync(path).mode & 0o777;
      if (mode & 0o077) throw new Error(`${path} must not be readable by group or others (mode ${mode.toString(8)}); run chmod 600`);
      const key = Buffer.from(readFileSync(path, "utf8").trim(), "base64");
      if (key.length !== 32) throw new Error(`${path} does not hold a 32-byte base64 key`);
      return new MasterKey(key);
    }
    const key = randomBytes(32);
    writeFileAtomic(path, key.toString("base64") + "\n", 0o600);
    return new MasterKey(key);
  }

  /** AES-256-GCM with a random IV; `purpose` is bound as AAD so a blob wrapped for one use cannot serve another. */
  wrap(plaintext: Uint8Array, purpose: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(purpose));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([Buffer.from([WRAP_VERSION]), iv, cipher.getAuthTag(), body]);
  }

  /** Returns null when the blob is not authentic for this key and purpose. */
  unwrap(blob: Uint8Array, purpose: string): Buffer | null {
    const data = Buffer.from(blob);
    if (data.length < 29 || data[0] !== WRAP_VERSION) return null;
    const decipher = createDecipheriv("aes-256-gcm", this.key, data.subarray(1, 13));
    decipher.setAAD(Buffer.from(purpose));
    decipher.setAuthTag(data.subarray(13, 29));
    try {
      return Buffer.concat([decipher.update(data.subarray(29)), decipher.final()]);
    } catch {
      return null;
    }
  }
}
