import { formatBytes } from "../format";
import type { Audience } from "../types";
import type { PartRetry, TransferOutcome, TransferProgress, TransferStart } from "./transfer";

export type UploadPhase = "ready" | "queued" | "creating" | "uploading" | "finishing" | "paused" | "cancelling" | "done" | "failed" | "cancelled";

/** Parts of this file already on the server from an earlier visit, found when the file was added. */
export interface ResumeHint {
  exchangeId: string;
  recipientOrg: string;
  storedBytes: number;
}

export interface UploadItem {
  key: string;
  file: File;
  phase: UploadPhase;
  recipientOrg: string;
  message: string;
  audience: Audience;
  /** Bytes stored on the server plus the bytes of parts in flight. */
  loaded: number;
  storedBytes: number;
  partsStored: number;
  partCount: number | null;
  bytesPerSecond: number | null;
  retries: PartRetry[];
  /** Bytes that were already stored when this run resumed the upload; null for a fresh upload. */
  resumedFrom: number | null;
  /** The upload on the server (set once created or found); Retry and Resume continue it. */
  exchangeId: string | null;
  /** Picked from the Incomplete uploads list: resume exactly that upload. */
  fromIncompleteList: boolean;
  resumeHint: ResumeHint | null;
  sha256: string | null;
  error: string | null;
  /** False when trying again cannot help (the file is over the limit, or the server refused it for good). */
  retryable: boolean;
}

export interface UploadsState {
  items: UploadItem[];
  nextKey: number;
}

export type UploadsAction =
  | { type: "add"; files: File[]; maxBytes: number }
  /** A file chosen for an upload in the Incomplete uploads list: queued at once to resume that upload. */
  | { type: "add-resume"; file: File; exchangeId: string; recipientOrg: string }
  | { type: "queue"; keys: string[]; recipientOrg: string; message: string; audience: Audience }
  | { type: "resume"; key: string }
  | { type: "phase"; key: string; phase: UploadPhase }
  | { type: "started"; key: string; start: TransferStart }
  | { type: "progress"; key: string; progress: TransferProgress }
  | { type: "completing"; key: string }
  | { type: "finished"; key: string; outcome: TransferOutcome }
  | { type: "resume-hint"; key: string; hint: ResumeHint }
  | { type: "remove"; key: string }
  | { type: "clear-done" };

export const initialUploads: UploadsState = { items: [], nextKey: 1 };

/** A transfer is running for the item: it cannot be removed, and it counts against the files-at-a-time limit. */
export const IN_FLIGHT: ReadonlySet<UploadPhase> = new Set(["creating", "uploading", "finishing", "cancelling"]);

function update(state: UploadsState, key: string, change: (item: UploadItem) => UploadItem): UploadsState {
  return { ...state, items: state.items.map((item) => (item.key === key ? change(item) : item)) };
}

function newItem(key: string, file: File): UploadItem {
  return {
    key,
    file,
    phase: "ready",
    recipientOrg: "",
    message: "",
    audience: { recipientUserIds: [], maxDownloads: null },
    loaded: 0,
    storedBytes: 0,
    partsStored: 0,
    partCount: null,
    bytesPerSecond: null,
    retries: [],
    resumedFrom: null,
    exchangeId: null,
    fromIncompleteList: false,
    resumeHint: null,
    sha256: null,
    error: null,
    retryable: true,
  };
}

const QUIET = { bytesPerSecond: null, retries: [] as PartRetry[] };

export function uploadsReducer(state: UploadsState, action: UploadsAction): UploadsState {
  switch (action.type) {
    case "add": {
      let nextKey = state.nextKey;
      const added = action.files.map((file): UploadItem => {
        const item = newItem(`upload-${nextKey++}`, file);
        if (file.size <= action.maxBytes) return item;
        return {
          ...item,
          phase: "failed",
          error: `This file is ${formatBytes(file.size)}, larger than the upload limit of ${formatBytes(action.maxBytes)}. Split it or compress it, then add it again.`,
          retryable: false,
        };
      });
      return { items: [...state.items, ...added], nextKey };
    }
    case "add-resume": {
      const item: UploadItem = { ...newItem(`upload-${state.nextKey}`, action.file), phase: "queued", recipientOrg: action.recipientOrg, exchangeId: action.exchangeId, fromIncompleteList: true };
      return { items: [...state.items, item], nextKey: state.nextKey + 1 };
    }
    case "queue": {
      const keys = new Set(action.keys);
      return {
        ...state,
        items: state.items.map((item) => {
          if (!keys.has(item.key)) return item;
          if (item.phase === "ready") return { ...item, phase: "queued", recipientOrg: action.recipientOrg, message: action.message, audience: action.audience, error: null, ...QUIET };
          if ((item.phase === "failed" || item.phase === "cancelled") && item.retryable) {
            // An upload the server still holds goes on where it stopped, to the same recipient; otherwise start afresh.
            return item.exchangeId
              ? { ...item, phase: "queued", error: null, ...QUIET }
              : { ...item, phase: "queued", recipientOrg: action.recipientOrg, message: action.message, audience: action.audience, loaded: 0, storedBytes: 0, partsStored: 0, resumedFrom: null, error: null, sha256: null, ...QUIET };
          }
          return item;
        }),
      };
    }
    case "resume":
      return update(state, action.key, (item) => (item.phase === "paused" ? { ...item, phase: "queued", error: null, ...QUIET } : item));
    case "phase":
      return update(state, action.key, (item) => ({ ...item, phase: action.phase }));
    case "started": {
      const { start } = action;
      return update(state, action.key, (item) =>
        item.phase === "creating" || item.phase === "finishing" || item.phase === "queued"
          ? {
              ...item,
              phase: "uploading",
              exchangeId: start.exchangeId,
              partCount: start.partCount,
              storedBytes: start.storedBytes,
              loaded: start.storedBytes,
              resumedFrom: start.resumed ? start.storedBytes : item.resumedFrom,
              resumeHint: null,
            }
          : item,
      );
    }
    case "progress": {
      const { progress } = action;
      return update(state, action.key, (item) =>
        item.phase === "uploading"
          ? {
              ...item,
              loaded: progress.loaded,
              storedBytes: progress.storedBytes,
              partsStored: progress.partsStored,
              partCount: progress.partCount,
              bytesPerSecond: progress.bytesPerSecond,
              retries: progress.retries,
            }
          : item,
      );
    }
    case "completing":
      return update(state, action.key, (item) => (item.phase === "uploading" ? { ...item, phase: "finishing", loaded: item.file.size, ...QUIET } : item));
    case "finished": {
      const outcome = action.outcome;
      return update(state, action.key, (item) => {
        switch (outcome.kind) {
          case "sent":
            return { ...item, phase: "done", loaded: item.file.size, storedBytes: item.file.size, partsStored: item.partCount ?? item.partsStored, exchangeId: outcome.exchangeId, sha256: outcome.sha256, error: null, ...QUIET };
          case "failed":
            return { ...item, phase: "failed", error: outcome.message, retryable: outcome.retryable, exchangeId: outcome.exchangeId, loaded: outcome.exchangeId ? item.storedBytes : 0, ...QUIET };
          case "paused":
            return { ...item, phase: "paused", exchangeId: outcome.exchangeId ?? item.exchangeId, loaded: item.storedBytes, error: null, ...QUIET };
          case "cancelled":
            return { ...item, phase: "cancelled", exchangeId: null, loaded: 0, storedBytes: 0, partsStored: 0, resumedFrom: null, error: null, retryable: true, ...QUIET };
        }
      });
    }
    case "resume-hint":
      return update(state, action.key, (item) => (item.phase === "ready" ? { ...item, resumeHint: action.hint } : item));
    case "remove":
      return { ...state, items: state.items.filter((item) => item.key !== action.key || IN_FLIGHT.has(item.phase) || item.phase === "queued") };
    case "clear-done":
      return { ...state, items: state.items.filter((item) => item.phase !== "done") };
  }
}

/** The files of the current batch (everything past "ready" that was not cancelled), for the overall progress line. */
export interface OverallProgress {
  files: number;
  sent: number;
  active: number;
  paused: number;
  failed: number;
  total: number;
  loaded: number;
  bytesPerSecond: number | null;
  /** Bytes still to send for files that are moving (not paused or failed). */
  remaining: number;
}

export function overallProgress(items: readonly UploadItem[]): OverallProgress {
  const batch = items.filter((item) => item.phase !== "ready" && item.phase !== "cancelled" && item.phase !== "cancelling");
  let speed = 0;
  let measured = false;
  let remaining = 0;
  for (const item of batch) {
    if (item.phase === "uploading" && item.bytesPerSecond !== null) {
      speed += item.bytesPerSecond;
      measured = true;
    }
    if (item.phase === "queued" || item.phase === "creating" || item.phase === "uploading") remaining += item.file.size - item.loaded;
  }
  return {
    files: batch.length,
    sent: batch.filter((item) => item.phase === "done").length,
    active: batch.filter((item) => IN_FLIGHT.has(item.phase) || item.phase === "queued").length,
    paused: batch.filter((item) => item.phase === "paused").length,
    failed: batch.filter((item) => item.phase === "failed").length,
    total: batch.reduce((sum, item) => sum + item.file.size, 0),
    loaded: batch.reduce((sum, item) => sum + (item.phase === "done" ? item.file.size : item.loaded), 0),
    bytesPerSecond: measured ? speed : null,
    remaining,
  };
}
