// The parted-upload HTTP API, as the browser sees it. Same origin, session cookie; every error body is
// { error: { code, message } } and `message` is what the person is shown. No server modules here.
import type { ApiErrorBody } from "../types";
import { isRetryableStatus, parseRetryAfter } from "./part-plan";

export interface CreatedUpload {
  exchangeId: string;
  partsUrl: string;
  partBytes: number;
  partCount: number;
}

export interface PartsList {
  exchangeId: string;
  size: number;
  partBytes: number;
  partCount: number;
  storedParts: number[];
  expiresAt: string;
}

export interface StoredPart {
  partNumber: number;
  bytes: number;
  sha256: string;
}

export interface CompletedUpload {
  exchangeId: string;
  size: number;
  partCount: number;
  /** Parted uploads have no whole-file digest; kept optional in case the server adds one. */
  sha256?: string | null;
}

/** Why a request did not succeed; `status` 0 means no HTTP answer (network error, abort, timeout). */
export interface ApiFailure {
  status: number;
  code: string | null;
  message: string;
  retryable: boolean;
  retryAfterMs: number | null;
  aborted: boolean;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; failure: ApiFailure };

export const NETWORK_LOST = "The connection to Keybridge was lost. Check your connection: the upload goes on from the parts already stored when you retry.";

const STATUS_MESSAGES: Record<number, string> = {
  401: "Your session has ended. Sign in again (in another tab), then press Retry: the upload continues from the parts already stored.",
  403: "You are not allowed to send this file.",
  404: "This upload is no longer on the server: it was finished, discarded or it expired.",
  413: "The file or one of its parts is larger than the server accepts.",
  429: "Too many requests at once. Keybridge waits a moment and tries again.",
};

function failureOf(status: number, body: ApiErrorBody | null, retryAfter: string | null): ApiFailure {
  const message = body?.error?.message ?? STATUS_MESSAGES[status] ?? (status === 0 ? NETWORK_LOST : `The server refused the upload (HTTP ${status}). Try again.`);
  return { status, code: body?.error?.code ?? null, message, retryable: isRetryableStatus(status), retryAfterMs: parseRetryAfter(retryAfter), aborted: false };
}

export const ABORTED: ApiFailure = { status: 0, code: null, message: "Stopped.", retryable: false, retryAfterMs: null, aborted: true };
const NETWORK_FAILURE: ApiFailure = { status: 0, code: null, message: NETWORK_LOST, retryable: true, retryAfterMs: null, aborted: false };

async function call<T>(url: string, init: RequestInit, okStatus: number, signal?: AbortSignal): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, credentials: "same-origin", cache: "no-store", signal });
  } catch {
    return { ok: false, failure: signal?.aborted ? ABORTED : NETWORK_FAILURE };
  }
  if (response.status === okStatus) {
    if (okStatus === 204) return { ok: true, value: undefined as T };
    try {
      return { ok: true, value: (await response.json()) as T };
    } catch {
      return { ok: false, failure: { ...NETWORK_FAILURE, message: "The server's answer could not be read. Try again." } };
    }
  }
  const body = (await response.json().catch(() => null)) as ApiErrorBody | null;
  return { ok: false, failure: failureOf(response.status, body, response.headers.get("retry-after")) };
}

export function uploadUrl(exchangeId: string): string {
  return `/api/uploads/${encodeURIComponent(exchangeId)}`;
}

export function partsUrl(exchangeId: string): string {
  return `${uploadUrl(exchangeId)}/parts`;
}

export function createUpload(input: { recipientOrg: string; fileName: string; contentType: string; message: string; size: number }): Promise<ApiResult<CreatedUpload>> {
  return call<CreatedUpload>(
    "/api/uploads",
    { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...input, transfer: "parts" }) },
    201,
  );
}

export function listParts(exchangeId: string, signal?: AbortSignal): Promise<ApiResult<PartsList>> {
  return call<PartsList>(partsUrl(exchangeId), { method: "GET" }, 200, signal);
}

export function completeUpload(exchangeId: string, signal?: AbortSignal): Promise<ApiResult<CompletedUpload>> {
  return call<CompletedUpload>(`${uploadUrl(exchangeId)}/complete`, { method: "POST" }, 200, signal);
}

/** DELETE /api/uploads/:id; an upload that is already gone counts as discarded. Retries briefly on 5xx/network. */
export async function discardUpload(exchangeId: string): Promise<ApiResult<void>> {
  let last: ApiResult<void> = { ok: false, failure: NETWORK_FAILURE };
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    last = await call<void>(uploadUrl(exchangeId), { method: "DELETE" }, 204);
    if (last.ok || last.failure.status === 404) return { ok: true, value: undefined };
    if (!last.failure.retryable) return last;
    await new Promise((resolve) => setTimeout(resolve, last.ok ? 0 : (last.failure.retryAfterMs ?? attempt * 500)));
  }
  return last;
}

/** A part with no progress for this long is given up on (and retried): a stalled connection, not a slow one. */
const PART_STALL_MS = 120_000;

/**
 * PUT one part with XMLHttpRequest, because fetch cannot report upload progress. `onProgress` gets the bytes of this
 * part that have left the browser so far.
 */
export function putPart(exchangeId: string, partNumber: number, body: Blob, onProgress: (sent: number) => void, signal: AbortSignal): Promise<ApiResult<StoredPart>> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve({ ok: false, failure: ABORTED });
      return;
    }
    const xhr = new XMLHttpRequest();
    let settled = false;
    let stallTimer: ReturnType<typeof setTimeout> | undefined;
    const finish = (result: ApiResult<StoredPart>) => {
      if (settled) return;
      settled = true;
      clearTimeout(stallTimer);
      signal.removeEventListener("abort", onAbort);
      resolve(result);
    };
    const watchStall = () => {
      clearTimeout(stallTimer);
      stallTimer = setTimeout(() => {
        xhr.abort();
        finish({ ok: false, failure: { ...NETWORK_FAILURE, message: "The connection stalled while a part was on its way." } });
      }, PART_STALL_MS);
    };
    const onAbort = () => {
      xhr.abort();
      finish({ ok: false, failure: ABORTED });
    };
    signal.addEventListener("abort", onAbort);

    xhr.upload.onprogress = (event) => {
      watchStall();
      onProgress(event.loaded);
    };
    xhr.upload.onload = () => {
      watchStall();
      onProgress(body.size);
    };
    xhr.onload = () => {
      if (xhr.status === 200) {
        try {
          finish({ ok: true, value: JSON.parse(xhr.responseText) as StoredPart });
        } catch {
          finish({ ok: false, failure: { ...NETWORK_FAILURE, message: "The server's answer could not be read." } });
        }
        return;
      }
      let parsed: ApiErrorBody | null = null;
      try {
        parsed = JSON.parse(xhr.responseText) as ApiErrorBody;
      } catch {
        // not JSON: a proxy's page, say; fall back to a message for the status
      }
      finish({ ok: false, failure: failureOf(xhr.status, parsed, xhr.getResponseHeader("retry-after")) });
    };
    xhr.onerror = () => finish({ ok: false, failure: signal.aborted ? ABORTED : NETWORK_FAILURE });
    xhr.onabort = () => finish({ ok: false, failure: signal.aborted ? ABORTED : NETWORK_FAILURE });
    xhr.ontimeout = () => finish({ ok: false, failure: NETWORK_FAILURE });

    xhr.open("PUT", `${uploadUrl(exchangeId)}/parts/${partNumber}`);
    xhr.setRequestHeader("content-type", "application/octet-stream");
    watchStall();
    xhr.send(body);
  });
}
