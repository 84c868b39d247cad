import { createHash, randomBytes } from "node:crypto";

export function sha256(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * `size` pseudo-random bytes as a web stream, without holding them in memory: a 1 MiB random block with a counter
 * stamped into each copy, so no two MiB are equal and a reordering would change the hash.
 */
export function generatedStream(size: number): { stream: ReadableStream<Uint8Array>; digest: Promise<string> } {
  const block = randomBytes(1024 * 1024);
  const hash = createHash("sha256");
  let sent = 0;
  let index = 0;
  let resolveDigest: (value: string) => void = () => undefined;
  const digest = new Promise<string>((resolve) => (resolveDigest = resolve));
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= size) {
        resolveDigest(hash.digest("hex"));
        controller.close();
        return;
      }
      const length = Math.min(block.length, size - sent);
      const chunk = Buffer.from(block.subarray(0, length));
      if (length >= 4) chunk.writeUInt32BE(index >>> 0, 0);
      index += 1;
      hash.update(chunk);
      sent += length;
      controller.enqueue(chunk);
    },
  });
  return { stream, digest };
}

/** Reads a response body fully, hashing and counting it without keeping it. */
export async function hashBody(response: Response): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash("sha256");
  let bytes = 0;
  if (response.body) {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      bytes += chunk.length;
    }
  }
  return { bytes, sha256: hash.digest("hex") };
}

export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
