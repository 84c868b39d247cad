import "server-only";
import { errorField, log } from "../log";
import { signAuditCheckpoint } from "../audit";
import { getConfig } from "../config";
import { getDatabase } from "../db";
import { processSingleton } from "../process-singleton";
import { pruneRateLimits } from "../rate-limit";
import { getBlobStore } from "../storage";
import { sweepStaleUploads } from "./sweep-stale-uploads";

const FIRST_SWEEP_AT_MOST_AFTER_MS = 30 * 1000;

/** Sweeps stale uploads and signs an audit checkpoint in the background, once per process; the first sweep waits so start-up stays quick. */
export function startUploadMaintenance(): void {
  processSingleton("upload-maintenance", () => {
    const sweep = async () => {
      try {
        const olderThan = new Date(Date.now() - getConfig().uploads.staleAfterSeconds * 1000);
        const removed = await sweepStaleUploads(await getDatabase(), await getBlobStore(), olderThan);
        if (removed.exchanges + removed.blobs > 0) log.info({ exchanges: removed.exchanges, blobs: removed.blobs }, "removed stale uploads and abandoned blob files");
        // Rate-limit windows older than an hour count nothing any more.
        await pruneRateLimits();
        // Checkpoints are signed here, not when someone views the dashboard: a GET writes nothing.
        const chain = await signAuditCheckpoint();
        if (!chain.ok) log.error({ chain }, "the audit chain does not verify");
      } catch (error) {
        log.error({ error: errorField(error) }, "maintenance sweep failed");
      }
    };
    const everyMs = getConfig().uploads.sweepEverySeconds * 1000;
    setTimeout(() => void sweep(), Math.min(everyMs, FIRST_SWEEP_AT_MOST_AFTER_MS)).unref();
    return setInterval(() => void sweep(), everyMs).unref();
  });
}
