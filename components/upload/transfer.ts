// Browser-side transfer of one file in parts (issue 7): create the upload (or find the one this browser started
// before and ask the server which parts it has), send the missing parts a few at a time with retries, then complete.
// Pause stops the parts in flight and keeps what is stored; cancel discards everything on the server.
// No server modules here: only the HTTP API in upload-api.ts.
import {
  ABORTED,
  completeUpload,
  createUpload,
  discardUpload,
  listParts,
  putPart,
  type ApiFailure,
  type ApiResult,
} from "./upload-api";
import { MAX_PART_ATTEMPTS, PARTS_IN_FLIGHT, backoffDelayMs, isConsistentPlan, missingParts, partRange, storedBytes, type PartPlan } from "./part-plan";
import { forgetResume, loadResume, resumeKey, saveResume } from "./resume-store";
import { speedMeter } from "./speed-meter";

export interface PartRetry {
  partNumber: number;
  /** The attempt that comes next (2 for the first retry). */
  attempt: number;
  /** When that attempt starts (epoch ms), or null once it is under way (or while waiting for the network). */
  retryAt: number | null;
  reason: string;
  /** The browser is offline: the part waits for the connection to come back, without using up its attempts. */
  waitingForNetwork?: boolean;
}

export interface TransferProgress {
  /** Bytes stored on the server plus the bytes of parts in flight that have left the browser. */
  loaded: number;
  total: number;
  storedBytes: number;
  partsStored: number;
  partCount: number;
  /** Over a sliding window; null until there is enough to measure. */
  bytesPerSecond: number | null;
  retries: PartRetry[];
}

export interface TransferStart {
  exchangeId: string;
  partCount: number;
  partBytes: number;
  storedBytes: number;
  /** True when parts were already on the server and only the missing ones are sent. */
  resumed: boolean;
}

export type TransferOutcome =
  | { kind: "sent"; exchangeId: string; size: number; sha256: string | null }
  /** `exchangeId` is set while the server still holds the upload (Retry resumes it, Discard deletes it). */
  | { kind: "failed"; message: string; retryable: boolean; exchangeId: string | null }
  | { kind: "paused"; exchangeId: string | null }
  | { kind: "cancelled" };

export interface TransferRequest {
  file: File;
  recipientOrg: string;
  message: string;
  /** Resume this upload (from the Incomplete uploads list) instead of the one this browser remembers, if any. */
  resumeExchangeId?: string | null;
  onStarted: (start: TransferStart) => void;
  onProgress: (progress: TransferProgress) => void;
  /** A part failed and will be tried again after a wait. */
  onRetry?: (retry: PartRetry) => void;
  /** Every part is stored; the server is checking them and sealing the exchange. */
  onCompleting: () => void;
}

export interface Transfer {
  done: Promise<TransferOutcome>;
  /** Stops the parts in flight; the parts already stored stay, and a new transfer of the same file resumes. */
  pause: () => void;
  /** Stops and discards the upload on the server. */
  cancel: () => void;
}

const PROGRESS_INTERVAL_MS = 150;
/** Progress is reported at least this often while parts are on their way, so that speed and countdowns stay current. */
const TICK_MS = 1000;
/** How many times a "parts are missing" answer to complete is followed by sending them again. */
const COMPLETE_ROUNDS = 3;

const GONE = "This upload is no longer on the server: it was finished, discarded or it expired. Retry sends the file again from the start.";

function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve(false);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** The complete step's answer when parts are missing (409 parts_missing; upload_incomplete is accepted too). */
function isOffline(): boolean {
  return typeof navigator !== "undefined" && navigator.onLine === false;
}

/** Resolves true when the browser is back online, false if `signal` aborts first. */
function onlineAgain(signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve(false);
      return;
    }
    const done = (value: boolean) => {
      window.removeEventListener("online", onOnline);
      signal.removeEventListener("abort", onAbort);
      resolve(value);
    };
    const onOnline = () => done(true);
    const onAbort = () => done(false);
    window.addEventListener("online", onOnline);
    signal.addEventListener("abort", onAbort);
  });
}

function isPartsMissing(failure: ApiFailure): boolean {
  return failure.code === "parts_missing" || failure.code === "upload_incomplete" || (failure.status === 409 && failure.code !== "upload_state");
}

/** The server no longer takes parts for this upload: not found (expired, discarded, not yours) or already finished. */
function isGone(failure: ApiFailure): boolean {
  return failure.status === 404 || failure.code === "upload_state";
}

/** A part whose body did not fully arrive (the server says upload_incomplete) is worth sending again. */
function partFailure(failure: ApiFailure): ApiFailure {
  return failure.code === "upload_incomplete" ? { ...failure, retryable: true } : failure;
}

export function startTransfer(request: TransferRequest): Transfer {
  const { file } = request;
  const stop = new AbortController();
  let stopReason: "pause" | "cancel" | null = null;
  let completing = false;
  let exchangeId: string | null = null;
  let key: string | null = null;

  async function retrying<T>(attempt: () => Promise<ApiResult<T>>, retryWhen: (failure: ApiFailure) => boolean = (failure) => failure.retryable): Promise<ApiResult<T>> {
    for (let tries = 1; ; tries += 1) {
      const result = await attempt();
      if (result.ok || result.failure.aborted || !retryWhen(result.failure) || tries >= MAX_PART_ATTEMPTS) return result;
      if (!(await sleep(Math.max(backoffDelayMs(tries + 1), result.failure.retryAfterMs ?? 0), stop.signal))) return { ok: false, failure: ABORTED };
    }
  }

  async function stopped(): Promise<TransferOutcome> {
    if (stopReason !== "cancel") return { kind: "paused", exchangeId };
    if (exchangeId) {
      const discarded = await discardUpload(exchangeId);
      if (!discarded.ok)
        return { kind: "failed", message: `The upload stopped, but the server could not discard the parts already stored (${discarded.failure.message}) Discard it under Incomplete uploads.`, retryable: true, exchangeId };
    }
    if (key) forgetResume(key);
    return { kind: "cancelled" };
  }

  async function run(): Promise<TransferOutcome> {
    key = await resumeKey(file, request.recipientOrg);
    const explicit = request.resumeExchangeId ?? null;
    const remembered = explicit ?? loadResume(key)?.exchangeId ?? null;
    let plan: PartPlan | null = null;
    let stored = new Set<number>();
    let resumed = false;

    // 1. Resume the upload this browser (or the Incomplete uploads list) names, if the server still has it.
    if (remembered) {
      const listed = await retrying(() => listParts(remembered, stop.signal));
      if (listed.ok) {
        const candidate: PartPlan = { size: listed.value.size, partBytes: listed.value.partBytes, partCount: listed.value.partCount };
        if (candidate.size === file.size && isConsistentPlan(candidate)) {
          plan = candidate;
          exchangeId = remembered;
          stored = new Set(listed.value.storedParts.filter((part) => Number.isInteger(part) && part >= 1 && part <= candidate.partCount));
          resumed = stored.size > 0;
          saveResume(key, { exchangeId: remembered, partBytes: plan.partBytes, partCount: plan.partCount, size: plan.size });
        } else if (explicit) {
          return { kind: "failed", message: "This file does not match the incomplete upload: its size is different. Choose the file that upload was started with.", retryable: false, exchangeId: null };
        } else {
          forgetResume(key);
        }
      } else if (listed.failure.aborted) {
        return stopped();
      } else if (isGone(listed.failure)) {
        forgetResume(key);
        if (explicit) return { kind: "failed", message: GONE, retryable: false, exchangeId: null };
      } else {
        return { kind: "failed", message: listed.failure.message, retryable: true, exchangeId: remembered };
      }
    }

    // 2. Otherwise start a new one. Retried only when the server clearly did nothing (busy, or the key service down),
    //    so that a lost answer does not leave a second upload behind.
    if (!plan) {
      const created = await retrying(
        () => createUpload({ recipientOrg: request.recipientOrg, fileName: file.name, contentType: file.type || "application/octet-stream", message: request.message, size: file.size }),
        (failure) => failure.status === 429 || failure.status === 503,
      );
      if (!created.ok) return created.failure.aborted ? stopped() : { kind: "failed", message: created.failure.message, retryable: created.failure.status !== 413, exchangeId: null };
      exchangeId = created.value.exchangeId;
      const candidate: PartPlan = { size: file.size, partBytes: created.value.partBytes, partCount: created.value.partCount };
      if (!isConsistentPlan(candidate)) {
        await discardUpload(exchangeId);
        return { kind: "failed", message: "The server planned this upload's parts in a way this page does not understand. Reload the page and try again.", retryable: false, exchangeId: null };
      }
      plan = candidate;
      saveResume(key, { exchangeId, partBytes: plan.partBytes, partCount: plan.partCount, size: plan.size });
      if (stopReason) return stopped();
    }

    const id = exchangeId as string;
    const activePlan = plan;
    request.onStarted({ exchangeId: id, partCount: activePlan.partCount, partBytes: activePlan.partBytes, storedBytes: storedBytes(activePlan, stored), resumed });

    // 3. Send what is missing, then complete; a "parts missing" answer means list again and send those.
    const inFlight = new Map<number, number>();
    const retries = new Map<number, PartRetry>();
    const meter = speedMeter();
    let transmitted = 0;
    let storedTotal = storedBytes(activePlan, stored);
    let lastReport = 0;

    const report = (force = false) => {
      const now = performance.now();
      if (!force && now - lastReport < PROGRESS_INTERVAL_MS) return;
      lastReport = now;
      let loaded = storedTotal;
      for (const sent of inFlight.values()) loaded += sent;
      request.onProgress({
        loaded: Math.min(loaded, activePlan.size),
        total: activePlan.size,
        storedBytes: storedTotal,
        partsStored: stored.size,
        partCount: activePlan.partCount,
        bytesPerSecond: meter.sample(transmitted, now),
        retries: [...retries.values()].sort((a, b) => a.partNumber - b.partNumber),
      });
    };

    async function sendPart(part: number, signal: AbortSignal): Promise<ApiFailure | null> {
      const { start, end } = partRange(activePlan, part);
      const body = file.slice(start, end);
      const expected = end - start;
      for (let attempt = 1; ; attempt += 1) {
        let sentBefore = 0;
        const result = await putPart(
          id,
          part,
          body,
          (sent) => {
            const clamped = Math.min(sent, expected);
            transmitted += Math.max(0, clamped - sentBefore);
            sentBefore = clamped;
            inFlight.set(part, clamped);
            report();
          },
          signal,
        );
        inFlight.delete(part);
        const failure: ApiFailure | null = result.ok
          ? typeof result.value.bytes === "number" && result.value.bytes !== expected
            ? { status: 0, code: "part_size_mismatch", message: `The server stored ${result.value.bytes} bytes of part ${part} instead of ${expected}.`, retryable: true, retryAfterMs: null, aborted: false }
            : null
          : partFailure(result.failure);
        if (!failure) {
          stored.add(part);
          storedTotal += expected;
          retries.delete(part);
          report(true);
          return null;
        }
        if (failure.aborted) {
          retries.delete(part);
          report(true);
          return failure;
        }
        if (failure.status === 0 && failure.retryable && isOffline()) {
          // A dropped connection: wait for it to come back rather than spend the part's attempts meanwhile.
          retries.set(part, { partNumber: part, attempt, retryAt: null, reason: "Waiting for the network connection to come back.", waitingForNetwork: true });
          request.onRetry?.(retries.get(part) as PartRetry);
          report(true);
          if (!(await onlineAgain(signal))) {
            retries.delete(part);
            return ABORTED;
          }
          retries.set(part, { partNumber: part, attempt, retryAt: null, reason: failure.message });
          report(true);
          attempt -= 1;
          continue;
        }
        if (!failure.retryable || attempt >= MAX_PART_ATTEMPTS) {
          retries.delete(part);
          return attempt > 1 ? { ...failure, message: `Part ${part} could not be sent after ${attempt} tries. ${failure.message}` } : failure;
        }
        const delay = Math.max(backoffDelayMs(attempt + 1), failure.retryAfterMs ?? 0);
        const retry: PartRetry = { partNumber: part, attempt: attempt + 1, retryAt: Date.now() + delay, reason: failure.message };
        retries.set(part, retry);
        request.onRetry?.(retry);
        report(true);
        if (!(await sleep(delay, signal))) {
          retries.delete(part);
          return ABORTED;
        }
        retries.set(part, { ...retry, retryAt: null });
        report(true);
      }
    }

    async function sendParts(parts: number[]): Promise<ApiFailure | null> {
      const queue = [...parts];
      const partsStop = new AbortController();
      const onStop = () => partsStop.abort();
      stop.signal.addEventListener("abort", onStop);
      const ticker = setInterval(() => report(true), TICK_MS);
      let fatal: ApiFailure | null = null;
      const worker = async () => {
        while (!partsStop.signal.aborted) {
          const part = queue.shift();
          if (part === undefined) return;
          const failure = await sendPart(part, partsStop.signal);
          if (failure && !failure.aborted && !fatal) {
            // One part that cannot be sent stops the others: the file is not sent, and Retry resumes from here.
            fatal = failure;
            partsStop.abort();
          }
        }
      };
      try {
        await Promise.all(Array.from({ length: Math.min(PARTS_IN_FLIGHT, queue.length) }, worker));
      } finally {
        clearInterval(ticker);
        stop.signal.removeEventListener("abort", onStop);
      }
      return fatal;
    }

    for (let round = 1; ; round += 1) {
      report(true);
      const failure = await sendParts(missingParts(activePlan, stored));
      if (stopReason) return stopped();
      if (failure) {
        if (isGone(failure)) {
          forgetResume(key);
          return { kind: "failed", message: GONE, retryable: true, exchangeId: null };
        }
        const resumable = failure.retryable || failure.status === 401 || failure.status === 403;
        return { kind: "failed", message: failure.message, retryable: resumable, exchangeId: id };
      }

      completing = true;
      request.onCompleting();
      // Not abortable: a complete that reached the server must not be mistaken for a pause.
      const completed = await retrying(() => completeUpload(id));
      completing = false;
      if (completed.ok) {
        forgetResume(key);
        return { kind: "sent", exchangeId: completed.value.exchangeId ?? id, size: completed.value.size ?? activePlan.size, sha256: completed.value.sha256 ?? null };
      }
      if (isGone(completed.failure)) {
        // Finished by an earlier attempt whose answer was lost, or by another tab; or gone altogether.
        forgetResume(key);
        return { kind: "failed", message: "The server no longer has this upload waiting to be finished: an earlier attempt or another tab may have finished it. Check Sent before sending it again.", retryable: true, exchangeId: null };
      }
      if (isPartsMissing(completed.failure) && round < COMPLETE_ROUNDS) {
        const listed = await retrying(() => listParts(id, stop.signal));
        if (stopReason) return stopped();
        if (!listed.ok) return { kind: "failed", message: listed.failure.message, retryable: true, exchangeId: id };
        stored = new Set(listed.value.storedParts.filter((part) => Number.isInteger(part) && part >= 1 && part <= activePlan.partCount));
        storedTotal = storedBytes(activePlan, stored);
        request.onStarted({ exchangeId: id, partCount: activePlan.partCount, partBytes: activePlan.partBytes, storedBytes: storedTotal, resumed: true });
        continue;
      }
      if (stopReason) return stopped();
      return { kind: "failed", message: completed.failure.message, retryable: completed.failure.retryable || isPartsMissing(completed.failure), exchangeId: id };
    }
  }

  const done = run().catch(
    (): TransferOutcome => ({ kind: "failed", message: "Something went wrong in this page while sending the file. Retry continues from the parts already stored.", retryable: true, exchangeId }),
  );

  return {
    done,
    pause() {
      if (stopReason || completing) return;
      stopReason = "pause";
      stop.abort();
    },
    cancel() {
      if (stopReason === "cancel" || completing) return;
      stopReason = "cancel";
      stop.abort();
    },
  };
}
