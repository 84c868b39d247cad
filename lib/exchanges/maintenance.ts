import "server-only";
import { getConfig } from "../config";
import { getDatabase } from "../db";
import { processSingleton } from "../process-singleton";
import { pruneRateLimits } from "../rate-limit";
import { getBlobStore } from "../storage";
import { sweepStaleUploads } from "./sweep-stale-uploads";

const FIRST_SWEEP_AT_MOST_AFTER_MS = 30 * 1000;

/** Sweeps stale uploads in the background, once per process; the first sweep waits so start-up stays quick. */
export function startUploadMaintenance(): void {
  processSingleton("upload-maintenance", () => {
    const sweep = async () => {
      try {
        const olderThan = new Date(Date.now() - getConfig().uploads.staleAfterSeconds * 1000);
        const removed = await sweepStaleUploads(await getDatabase(), await getBlobStore(), olderThan);
        if (removed.exchanges + removed.blobs > 0) console.log(`[keybridge] removed ${removed.exchanges} stale uploads and ${removed.blobs} abandoned blob files`);
        // Rate-limit windows older than an hour count nothing any more.
        await pruneRateLimits();
      } catch (error) {
        console.error("[keybridge] stale upload sweep failed", error instanceof Error ? error.message : error);
      }
    };
    const everyMs = getConfig().uploads.sweepEverySeconds * 1000;
    setTimeout(() => void sweep(), Math.min(everyMs, FIRST_SWEEP_AT_MOST_AFTER_MS)).unref();
    return setInterval(() => void sweep(), everyMs).unref();
  });
}
