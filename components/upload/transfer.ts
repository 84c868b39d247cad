// Browser-side transfer of one file in parts (issues 7 and 13): create the upload (or find the one this browser
// started before and ask the server which parts it has), read the file once in order — hashing each part, and the
// whole file, as it is read; checking each stored part against the server's digest of it before skipping it; sending
// each missing part with its digest, a few at a time with retries — then complete, declaring the whole file's digest.
// Pause stops the parts in flight and keeps what is stored; cancel discards everything on the server.
// No server modules here: only the HTTP API in upload-api.ts and the transfer contract.
import type { Audience } from "../types";
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
import { isConsistentLayout, partRange, type PartLayout, type PartReceipt } from "../../lib/contract/transfer";
import { FileUnreadableError, readSlice, sha256Hasher, sha256Hex, type Sha256 } from "./file-digest";
import { MAX_PART_ATTEMPTS, PARTS_IN_FLIGHT, backoffDelayMs, missingParts, storedBytes } from "./part-plan";
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
  /** `sha256`: the whole file's, as this browser read it and the server sealed it. */
  | { kind: "sent"; exchangeId: string; size: number; sha256: string }
  /** `exchangeId` is set while the server still holds the upload (Retry resumes it, Discard deletes it). */
  | { kind: "failed"; message: string; retryable: boolean; exchangeId: string | null }
  | { kind: "paused"; exchangeId: string | null }
  | { kind: "cancelled" };

export interface TransferRequest {
  file: File;
  recipientOrg: string;
  message: string;
  audience: Audience;
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

/** The complete step's answer when parts are missing: list them again and send them. */
function isPartsMissing(failure: ApiFailure): boolean {
  return failure.code === "parts_missing";
}

/** The server no longer takes parts for this upload: not found (expired, discarded, not yours) or already finished. */
function isGone(failure: ApiFailure): boolean {
  return failure.code === "not_found" || failure.code === "upload_state" || (failure.code === null && failure.status === 404);
}

/** Signed out, or a step-up needed: nothing to retry by itself, but Retry works once the person has signed in again. */
function needsSignIn(failure: ApiFailure): boolean {
  return failure.code === "unauthenticated" || failure.code === "mfa_required" || (failure.code === null && failure.status === 401);
}

const UNREADABLE =
  "This page could not read the file any more: it was changed, moved or deleted after it was chosen. Choose it again; the parts already stored are kept if it is the same file.";

/** The file chosen is not the one whose parts the server holds: refused, never spliced with them. */
function notTheSameFile(part: number, explicit: boolean): string {
  return `This is not the file you started sending: part ${part} of it differs from the part already stored. ${
    explicit
      ? "Choose the file this upload was started with, or discard the incomplete upload and send this file as a new one."
      : "Retry sends this file as a new upload; the earlier one stays under Incomplete uploads until you discard it or it expires."
  }`;
}

/** A part read again (to resend it) differs from the same part read before: the file changed while it was sent. */
const CHANGED_WHILE_SENDING = "The file changed while it was being sent, so this upload was stopped rather than mix two versions. Wait until the file is saved, then send it again.";

/** Why the ordered read stopped short of sending the file: a refusal, a part that could not be sent, or a stop. */
type ReadFailure = { refusal: string; retryable: boolean; forgetResume: boolean } | ApiFailure;

function isRefusal(failure: ReadFailure): failure is { refusal: string; retryable: boolean; forgetResume: boolean } {
  return "refusal" in failure;
}

/** The server's stored parts that belong to `layout`, by number. */
function partsWithin(layout: PartLayout, parts: readonly PartReceipt[]): Map<number, PartReceipt> {
  return new Map(parts.filter((part) => part.partNumber <= layout.partCount).map((part) => [part.partNumber, part]));
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
    let plan: PartLayout | null = null;
    /** What the server holds of each stored part, which this browser's reading of the file must match. */
    let serverParts = new Map<number, PartReceipt>();
    let resumed = false;

    // 1. Resume the upload this browser (or the Incomplete uploads list) names, if the server still has it.
    if (remembered) {
      const listed = await retrying(() => listParts(remembered, stop.signal));
      if (listed.ok) {
        const candidate: PartLayout = { size: listed.value.size, partBytes: listed.value.partBytes, partCount: listed.value.partCount };
        if (candidate.size === file.size && isConsistentLayout(candidate)) {
          plan = candidate;
          exchangeId = remembered;
          serverParts = partsWithin(candidate, listed.value.parts);
          resumed = serverParts.size > 0;
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
        () =>
          createUpload({ recipientOrg: request.recipientOrg, fileName: file.name, contentType: file.type || "application/octet-stream", message: request.message, size: file.size, ...request.audience }),
        (failure) => failure.retryable && failure.status !== 0,
      );
      if (!created.ok) return created.failure.aborted ? stopped() : { kind: "failed", message: created.failure.message, retryable: created.failure.retryable, exchangeId: null };
      exchangeId = created.value.exchangeId;
      const candidate: PartLayout = { size: file.size, partBytes: created.value.partBytes, partCount: created.value.partCount };
      if (!isConsistentLayout(candidate)) {
        await discardUpload(exchangeId);
        return { kind: "failed", message: "The server planned this upload's parts in a way this page does not understand. Reload the page and try again.", retryable: false, exchangeId: null };
      }
      plan = candidate;
      saveResume(key, { exchangeId, partBytes: plan.partBytes, partCount: plan.partCount, size: plan.size });
      if (stopReason) return stopped();
    }

    const id = exchangeId as string;
    const activePlan = plan;
    let stored = new Set(serverParts.keys());
    request.onStarted({ exchangeId: id, partCount: activePlan.partCount, partBytes: activePlan.partBytes, storedBytes: storedBytes(activePlan, stored), resumed });

    // 3. Read the file in order, check what is stored and send what is missing, then complete; a "parts missing"
    //    answer means list again and send those (read again, and checked against the first reading).
    /** Each part's SHA-256 as first read; the whole file's digest is over exactly these bytes. */
    const digests = new Map<number, string>();
    let wholeSha256: string | null = null;
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

    async function sendPart(part: number, body: Uint8Array<ArrayBuffer>, sha256: string, signal: AbortSignal): Promise<ApiFailure | null> {
      const expected = body.byteLength;
      for (let attempt = 1; ; attempt += 1) {
        let sentBefore = 0;
        const result = await putPart(
          id,
          part,
          body,
          sha256,
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
          ? result.value.bytes !== expected || result.value.sha256 !== sha256
            ? { status: 0, code: "part_receipt_mismatch", message: `The server's receipt for part ${part} does not match what this page sent.`, retryable: true, retryAfterMs: null, aborted: false }
            : null
          : result.failure;
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

    /**
     * Reads the file in ascending part order, each part once where it can. With `whole`, first every part the server
     * holds is read and compared with the server's digest of it, before anything is sent — so a different file is
     * refused before any of its parts joins the upload — and the stored parts from part 1 on feed the whole-file
     * digest as they are checked. Then the remaining parts from the first not yet hashed: a stored one is compared
     * with its first reading and skipped, a missing one is sent (PARTS_IN_FLIGHT at a time: the reading waits for a
     * free slot, so at most that many parts are in memory). Without `whole` (parts the server lost after the first
     * pass), only `parts` are read, and each must match its first reading.
     */
    async function transmit(parts: number[], whole: Sha256 | null): Promise<ReadFailure | null> {
      const partsStop = new AbortController();
      const onStop = () => partsStop.abort();
      stop.signal.addEventListener("abort", onStop);
      const ticker = setInterval(() => report(true), TICK_MS);
      const sending = new Set<Promise<void>>();
      let fatal: ReadFailure | null = null;
      const fail = (failure: ReadFailure) => {
        if (fatal) return;
        // One part that cannot be sent stops the others: the file is not sent, and Retry resumes from here.
        fatal = failure;
        partsStop.abort();
      };
      const read = async (part: number) => {
        const { start, end } = partRange(activePlan, part);
        const bytes = await readSlice(file, start, end);
        return { bytes, digest: await sha256Hex(bytes) };
      };
      try {
        let queue = parts;
        if (whole) {
          let hashedThrough = 0;
          for (const [part, held] of [...serverParts].sort(([a], [b]) => a - b)) {
            const { bytes, digest } = await read(part);
            if (partsStop.signal.aborted) break;
            if (held.sha256 !== digest || held.bytes !== bytes.byteLength) {
              const explicit = request.resumeExchangeId != null;
              fail({ refusal: notTheSameFile(part, explicit), retryable: !explicit, forgetResume: !explicit });
              break;
            }
            digests.set(part, digest);
            if (part === hashedThrough + 1) {
              whole.update(bytes);
              hashedThrough = part;
            }
          }
          queue = Array.from({ length: activePlan.partCount - hashedThrough }, (_, index) => hashedThrough + 1 + index);
        }
        for (const part of queue) {
          while (sending.size >= PARTS_IN_FLIGHT && !partsStop.signal.aborted) await Promise.race(sending);
          if (partsStop.signal.aborted) break;
          const { bytes, digest } = await read(part);
          if (partsStop.signal.aborted) break;
          whole?.update(bytes);
          const first = digests.get(part);
          if (first !== undefined && first !== digest) {
            fail({ refusal: CHANGED_WHILE_SENDING, retryable: false, forgetResume: true });
            break;
          }
          digests.set(part, digest);
          if (stored.has(part)) continue;
          const sent: Promise<void> = sendPart(part, bytes, digest, partsStop.signal).then((failure) => {
            sending.delete(sent);
            if (failure && !failure.aborted) fail(failure);
          });
          sending.add(sent);
        }
        await Promise.all(sending);
      } catch (error) {
        if (!(error instanceof FileUnreadableError)) throw error;
        partsStop.abort();
        await Promise.all(sending);
        fail({ refusal: UNREADABLE, retryable: false, forgetResume: false });
      } finally {
        clearInterval(ticker);
        stop.signal.removeEventListener("abort", onStop);
      }
      if (fatal) return fatal;
      if (stop.signal.aborted) return ABORTED;
      return null;
    }

    for (let round = 1; ; round += 1) {
      report(true);
      const whole = round === 1 ? await sha256Hasher() : null;
      const failure = await transmit(missingParts(activePlan, stored), whole);
      if (whole && !failure) wholeSha256 = whole.hex();
      if (stopReason) return stopped();
      if (failure && isRefusal(failure)) {
        if (failure.forgetResume) forgetResume(key);
        return { kind: "failed", message: failure.refusal, retryable: failure.retryable, exchangeId: null };
      }
      if (failure) {
        if (isGone(failure)) {
          forgetResume(key);
          return { kind: "failed", message: GONE, retryable: true, exchangeId: null };
        }
        const resumable = failure.retryable || needsSignIn(failure);
        return { kind: "failed", message: failure.message, retryable: resumable, exchangeId: id };
      }

      completing = true;
      request.onCompleting();
      // Not abortable: a complete that reached the server must not be mistaken for a pause.
      const sha256 = wholeSha256;
      if (sha256 === null) throw new Error("the whole file's digest is computed by the first pass");
      const completed = await retrying(() => completeUpload(id, sha256));
      completing = false;
      if (completed.ok) {
        forgetResume(key);
        return { kind: "sent", exchangeId: completed.value.exchangeId, size: completed.value.size, sha256: completed.value.sha256 };
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
        serverParts = partsWithin(activePlan, listed.value.parts);
        stored = new Set(serverParts.keys());
        storedTotal = storedBytes(activePlan, stored);
        request.onStarted({ exchangeId: id, partCount: activePlan.partCount, partBytes: activePlan.partBytes, storedBytes: storedTotal, resumed: true });
        continue;
      }
      if (stopReason) return stopped();
      return { kind: "failed", message: completed.failure.message, retryable: completed.failure.retryable || isPartsMissing(completed.failure) || needsSignIn(completed.failure), exchangeId: id };
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
