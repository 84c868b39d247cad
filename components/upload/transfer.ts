// Browser-side transfer of one file: POST /api/uploads creates the exchange, then an XMLHttpRequest PUT streams
// the bytes (fetch cannot report upload progress). No server modules here: only the HTTP API.
import type { ApiErrorBody } from "../types";

export interface TransferProgress {
  loaded: number;
  total: number;
  /** Bytes per second over the last few seconds; null until there is enough to measure. */
  bytesPerSecond: number | null;
}

export type TransferOutcome =
  | { kind: "sent"; exchangeId: string; size: number; sha256: string }
  | { kind: "failed"; message: string; retryable: boolean }
  | { kind: "cancelled" };

export interface TransferRequest {
  file: File;
  recipientOrg: string;
  message: string;
  onCreated: (exchangeId: string) => void;
  onProgress: (progress: TransferProgress) => void;
  /** All bytes left the browser; the server is still encrypting the last frame and storing the file. */
  onBytesSent: () => void;
}

export interface Transfer {
  done: Promise<TransferOutcome>;
  cancel: () => void;
}

const SPEED_WINDOW_MS = 3000;
const PROGRESS_INTERVAL_MS = 100;

const STATUS_MESSAGES: Record<number, string> = {
  401: "Your session has ended. Sign in again in another tab, then retry.",
  403: "You are not allowed to send this file.",
  413: "The file is larger than the upload limit.",
  429: "Too many uploads at once. Wait a moment and retry.",
};

async function errorMessageOf(response: Response): Promise<string> {
  const body = (await response.json().catch(() => null)) as ApiErrorBody | null;
  return body?.error?.message ?? STATUS_MESSAGES[response.status] ?? `The server refused the upload (HTTP ${response.status}). Try again.`;
}

function errorMessageOfXhr(xhr: XMLHttpRequest): string {
  try {
    const body = JSON.parse(xhr.responseText) as ApiErrorBody;
    if (body.error?.message) return body.error.message;
  } catch {
    // not JSON: fall through to a message for the status
  }
  return STATUS_MESSAGES[xhr.status] ?? `The upload failed (HTTP ${xhr.status}). Try again.`;
}

const NETWORK_LOST = "The connection to Keybridge was lost before the upload finished. Check your connection and retry.";

/** Measures speed over a sliding window so that the estimate follows the current rate, not the average since start. */
function speedMeter() {
  const samples: Array<{ at: number; loaded: number }> = [];
  return (loaded: number): number | null => {
    const at = performance.now();
    samples.push({ at, loaded });
    while (samples.length > 2 && at - (samples[0]?.at ?? at) > SPEED_WINDOW_MS) samples.shift();
    const first = samples[0];
    if (!first || at - first.at < 250) return null;
    return ((loaded - first.loaded) * 1000) / (at - first.at);
  };
}

export function startTransfer(request: TransferRequest): Transfer {
  let cancelled = false;
  let xhr: XMLHttpRequest | null = null;
  let resolveCancel: (() => void) | null = null;

  const done = (async (): Promise<TransferOutcome> => {
    let created: Response;
    try {
      created = await fetch("/api/uploads", {
        method: "POST",
        headers: { "content-type": "application/json" },
        credentials: "same-origin",
        body: JSON.stringify({
          recipientOrg: request.recipientOrg,
          fileName: request.file.name,
          contentType: request.file.type || "application/octet-stream",
          message: request.message,
          size: request.file.size,
        }),
      });
    } catch {
      return cancelled ? { kind: "cancelled" } : { kind: "failed", message: NETWORK_LOST, retryable: true };
    }
    if (created.status !== 201) return { kind: "failed", message: await errorMessageOf(created), retryable: created.status !== 413 };
    const { exchangeId, contentUrl } = (await created.json()) as { exchangeId: string; contentUrl: string };
    if (cancelled) {
      // The PUT never started, so the exchange is still waiting for content: discard it on the server too.
      await fetch(contentUrl, { method: "DELETE", credentials: "same-origin" }).catch(() => undefined);
      return { kind: "cancelled" };
    }
    request.onCreated(exchangeId);

    return new Promise<TransferOutcome>((resolve) => {
      const request_ = new XMLHttpRequest();
      xhr = request_;
      const measure = speedMeter();
      let lastReport = 0;
      let bytesSent = false;
      const total = request.file.size;
      resolveCancel = () => resolve({ kind: "cancelled" });

      request_.upload.onprogress = (event) => {
        const now = performance.now();
        const loaded = event.loaded;
        const speed = measure(loaded);
        if (now - lastReport >= PROGRESS_INTERVAL_MS || loaded >= total) {
          lastReport = now;
          request.onProgress({ loaded, total, bytesPerSecond: speed });
        }
        if (loaded >= total && !bytesSent) {
          bytesSent = true;
          request.onBytesSent();
        }
      };
      request_.upload.onload = () => {
        if (!bytesSent) {
          bytesSent = true;
          request.onProgress({ loaded: total, total, bytesPerSecond: null });
          request.onBytesSent();
        }
      };
      request_.onload = () => {
        if (request_.status === 200) {
          try {
            const body = JSON.parse(request_.responseText) as { exchangeId: string; size: number; sha256: string };
            resolve({ kind: "sent", exchangeId: body.exchangeId, size: body.size, sha256: body.sha256 });
          } catch {
            resolve({ kind: "failed", message: "The server's answer could not be read. Check Sent to see whether the file arrived.", retryable: true });
          }
        } else {
          resolve({ kind: "failed", message: errorMessageOfXhr(request_), retryable: request_.status !== 413 });
        }
      };
      request_.onerror = () => resolve(cancelled ? { kind: "cancelled" } : { kind: "failed", message: NETWORK_LOST, retryable: true });
      request_.onabort = () => resolve({ kind: "cancelled" });
      request_.ontimeout = () => resolve({ kind: "failed", message: NETWORK_LOST, retryable: true });

      request_.open("PUT", contentUrl);
      request_.setRequestHeader("content-type", "application/octet-stream");
      request_.send(request.file);
    });
  })();

  return {
    done,
    cancel() {
      if (cancelled) return;
      cancelled = true;
      // Aborting a PUT that is under way makes the server discard the partial upload (no blob, no exchange).
      if (xhr) {
        xhr.abort();
        resolveCancel?.();
      }
    },
  };
}
