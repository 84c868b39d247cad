// Issue 13: the browser hashes every byte it sends (each part, and the whole file in order) with hash-wasm's SHA-256,
// so its speed bounds a browser upload. Measured in Debian's Chromium, beside Node's own SHA-256 in the same run.
import { createHash, randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { chromium } from "@playwright/test";

const MIB = 1024 * 1024;
const PART_BYTES = 16 * MIB;

export interface BrowserHashResult {
  bytes: number;
  /** hash-wasm in Chromium: each part hashed on its own and fed to the whole-file hasher, as components/upload does. */
  browserSeconds: number;
  /** Node's SHA-256 over the same bytes, twice (part and whole), for the ratio. */
  nodeSeconds: number;
}

export async function browserHashBench(bytes: number): Promise<BrowserHashResult> {
  const script = createRequire(__filename).resolve("hash-wasm/dist/sha256.umd.min.js");
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage();
    await page.addScriptTag({ path: script });
    const browserSeconds = await page.evaluate(
      async ({ total, partBytes }) => {
        const { createSHA256 } = (globalThis as unknown as { hashwasm: { createSHA256: () => Promise<{ init(): void; update(data: Uint8Array): void; digest(format: "hex"): string }> } }).hashwasm;
        const part = new Uint8Array(partBytes);
        // getRandomValues fills at most 64 KiB per call.
        for (let offset = 0; offset < part.length; offset += 65536) crypto.getRandomValues(part.subarray(offset, offset + 65536));
        const whole = await createSHA256();
        whole.init();
        const started = performance.now();
        for (let done = 0; done < total; done += partBytes) {
          const slice = part.subarray(0, Math.min(partBytes, total - done));
          const own = await createSHA256();
          own.init();
          own.update(slice);
          own.digest("hex");
          whole.update(slice);
        }
        whole.digest("hex");
        return (performance.now() - started) / 1000;
      },
      { total: bytes, partBytes: PART_BYTES },
    );
    const part = randomBytes(PART_BYTES);
    const whole = createHash("sha256");
    const started = performance.now();
    for (let done = 0; done < bytes; done += PART_BYTES) {
      const slice = part.subarray(0, Math.min(PART_BYTES, bytes - done));
      createHash("sha256").update(slice).digest("hex");
      whole.update(slice);
    }
    whole.digest("hex");
    return { bytes, browserSeconds, nodeSeconds: (performance.now() - started) / 1000 };
  } finally {
    await browser.close();
  }
}
