import { createHash, randomBytes } from "node:crypto";
import { closeSync, createReadStream, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { CDPSession, Page } from "@playwright/test";

/** A file on disk that a test hands to the browser, with what the recipient must get back. */
export interface LocalFile {
  name: string;
  path: string;
  size: number;
  sha256: string;
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Writes `size` random bytes in 4 MiB pieces and hashes them on the way. */
export function writeRandomFile(dir: string, name: string, size: number): LocalFile {
  const path = join(dir, name);
  const hash = createHash("sha256");
  const fd = openSync(path, "w");
  try {
    for (let written = 0; written < size; ) {
      const chunk = randomBytes(Math.min(4 * 1024 * 1024, size - written));
      hash.update(chunk);
      writeSync(fd, chunk);
      written += chunk.length;
    }
  } finally {
    closeSync(fd);
  }
  return { name, path, size, sha256: hash.digest("hex") };
}

const cdpSessions = new WeakMap<Page, CDPSession>();

/**
 * Caps the page's upload rate with DevTools network emulation (no fixed waits: the transfer itself takes longer);
 * -1 lifts the cap. One DevTools session per page, so that a later call replaces the earlier cap.
 */
export async function throttleUploads(page: Page, bytesPerSecond: number): Promise<void> {
  let cdp = cdpSessions.get(page);
  if (!cdp) {
    cdp = await page.context().newCDPSession(page);
    cdpSessions.set(page, cdp);
  }
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond });
}
