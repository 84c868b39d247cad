import { formatBytes } from "../format";
import type { TransferOutcome } from "./transfer";

export type UploadPhase = "ready" | "queued" | "creating" | "uploading" | "finishing" | "done" | "failed" | "cancelled";

export interface UploadItem {
  key: string;
  file: File;
  phase: UploadPhase;
  recipientOrg: string;
  message: string;
  loaded: number;
  bytesPerSecond: number | null;
  exchangeId: string | null;
  sha256: string | null;
  error: string | null;
  /** False when trying again cannot help (the file is over the limit). */
  retryable: boolean;
}

export interface UploadsState {
  items: UploadItem[];
  nextKey: number;
}

export type UploadsAction =
  | { type: "add"; files: File[]; maxBytes: number }
  | { type: "queue"; keys: string[]; recipientOrg: string; message: string }
  | { type: "phase"; key: string; phase: UploadPhase }
  | { type: "created"; key: string; exchangeId: string }
  | { type: "progress"; key: string; loaded: number; total: number; bytesPerSecond: number | null }
  | { type: "finished"; key: string; outcome: TransferOutcome }
  | { type: "remove"; key: string }
  | { type: "clear-done" };

export const initialUploads: UploadsState = { items: [], nextKey: 1 };

export const IN_FLIGHT: ReadonlySet<UploadPhase> = new Set(["creating", "uploading", "finishing"]);

function update(state: UploadsState, key: string, change: (item: UploadItem) => UploadItem): UploadsState {
  return { ...state, items: state.items.map((item) => (item.key === key ? change(item) : item)) };
}

export function uploadsReducer(state: UploadsState, action: UploadsAction): UploadsState {
  switch (action.type) {
    case "add": {
      let nextKey = state.nextKey;
      const added = action.files.map((file): UploadItem => {
        const tooLarge = file.size > action.maxBytes;
        return {
          key: `upload-${nextKey++}`,
          file,
          phase: tooLarge ? "failed" : "ready",
          recipientOrg: "",
          message: "",
          loaded: 0,
          bytesPerSecond: null,
          exchangeId: null,
          sha256: null,
          error: tooLarge ? `This file is ${formatBytes(file.size)}, larger than the upload limit of ${formatBytes(action.maxBytes)}. Split it or compress it, then add it again.` : null,
          retryable: !tooLarge,
        };
      });
      return { items: [...state.items, ...added], nextKey };
    }
    case "queue": {
      const keys = new Set(action.keys);
      return {
        ...state,
        items: state.items.map((item) =>
          keys.has(item.key) && (item.phase === "ready" || ((item.phase === "failed" || item.phase === "cancelled") && item.retryable))
            ? { ...item, phase: "queued", recipientOrg: action.recipientOrg, message: action.message, loaded: 0, bytesPerSecond: null, error: null, exchangeId: null, sha256: null }
            : item,
        ),
      };
    }
    case "phase":
      return update(state, action.key, (item) => ({ ...item, phase: action.phase }));
    case "created":
      return update(state, action.key, (item) => ({ ...item, phase: "uploading", exchangeId: action.exchangeId }));
    case "progress":
      return update(state, action.key, (item) => (item.phase === "uploading" || item.phase === "creating" ? { ...item, phase: "uploading", loaded: action.loaded, bytesPerSecond: action.bytesPerSecond } : item));
    case "finished": {
      const outcome = action.outcome;
      return update(state, action.key, (item) => {
        switch (outcome.kind) {
          case "sent":
            return { ...item, phase: "done", loaded: item.file.size, exchangeId: outcome.exchangeId, sha256: outcome.sha256, error: null, bytesPerSecond: null };
          case "failed":
            return { ...item, phase: "failed", error: outcome.message, retryable: outcome.retryable, exchangeId: null, bytesPerSecond: null };
          case "cancelled":
            return { ...item, phase: "cancelled", exchangeId: null, bytesPerSecond: null, error: null };
        }
      });
    }
    case "remove":
      return { ...state, items: state.items.filter((item) => item.key !== action.key || IN_FLIGHT.has(item.phase)) };
    case "clear-done":
      return { ...state, items: state.items.filter((item) => item.phase !== "done") };
  }
}
