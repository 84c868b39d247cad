// The parted-upload HTTP API, as the browser sees it. Same origin, session cookie. Every body is parsed with the
// transfer contract's schemas (lib/contract/transfer.ts); an error body says whether a retry can help, and only an
// answer without one (network error, a proxy's page) falls back to a guess from the status. No server modules here.
import {
  CompletedUploadSchema,
  CreatedUploadSchema,
  ErrorBodySchema,
  PART_SHA256_HEADER,
  PartReceiptSchema,
  UPLOADS_PATH,
  UploadStatusSchema,
  completePath,
  partPath,
  partsPath,
  uploadPath,
  type CompletedUpload,
  type CreateUploadRequest,
  type CreatedUpload,
  type PartReceipt,
  type UploadStatus,
} from "../../lib/contract/transfer";
import { isRetryableStatus, parseRetryAfter } from "./part-plan";

export type { CompletedUpload, CreatedUpload, PartReceipt, UploadStatus };

interface BodySchema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
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

function failureOf(status: number, body: unknown, retryAfter: string | null): ApiFailure {
  const retryAfterMs = parseRetryAfter(retryAfter);
  const parsed = ErrorBodySchema.safeParse(body);
  if (parsed.success) return { status, code: parsed.data.error.code, message: parsed.data.error.message, retryable: parsed.data.error.retryable, retryAfterMs, aborted: false };
  // No Keybridge error body: the answer came from something in between, so the status is all there is to go on.
  const message = STATUS_MESSAGES[status] ?? (status === 0 ? NETWORK_LOST : `The server refused the upload (HTTP ${status}). Try again.`);
  return { status, code: null, message, retryable: isRetryableStatus(status), retryAfterMs, aborted: false };
}

const UNREADABLE_ANSWER = "The server's answer could not be read. Try again.";

function parsedBody<T>(schema: BodySchema<T>, value: unknown): ApiResult<T> {
  const parsed = schema.safeParse(value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, failure: { ...NETWORK_FAILURE, message: UNREADABLE_ANSWER } };
}

export const ABORTED: ApiFailure = { status: 0, code: null, message: "Stopped.", retryable: false, retryAfterMs: null, aborted: true };
const NETWORK_FAILURE: ApiFailure = { status: 0, code: null, message: NETWORK_LOST, retryable: true, retryAfterMs: null, aborted: false };

async function call<T>(url: string, init: RequestInit, okStatus: number, schema: BodySchema<T> | null, signal?: AbortSignal): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, credentials: "same-origin", cache: "no-store", signal });
  } catch {
    return { ok: false, failure: signal?.aborted ? ABORTED : NETWORK_FAILURE };
  }
  if (response.status === okStatus) {
    if (!schema) return { ok: true, value: undefined as T };
    const value: unknown = await response.json().catch(() => undefined);
    return parsedBody(schema, value);
  }
  const body: unknown = await response.json().catch(() => null);
  return { ok: false, failure: failureOf(response.status, body, response.headers.get("retry-after")) };
}

export function createUpload(input: CreateUploadRequest): Promise<ApiResult<CreatedUpload>> {
  return call(UPLOADS_PATH, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(input) }, 201, CreatedUploadSchema);
}

export function listParts(exchangeId: string, signal?: AbortSignal): Promise<ApiResult<UploadStatus>> {
  return call(partsPath(exchangeId), { method: "GET" }, 200, UploadStatusSchema, signal);
}

/** Finishes the upload, declaring the SHA-256 of the whole file as this browser read it. */
export function completeUpload(exchangeId: string, sha256: string, signal?: AbortSignal): Promise<ApiResult<CompletedUpload>> {
  return call(completePath(exchangeId), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ sha256 }) }, 200, CompletedUploadSchema, signal);
}

/** DELETE /api/uploads/:id; an upload that is already gone counts as discarded. Retries briefly on 5xx/network. */
export async function discardUpload(exchangeId: string): Promise<ApiResult<void>> {
  let last: ApiResult<void> = { ok: false, failure: NETWORK_FAILURE };
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    last = await call<void>(uploadPath(exchangeId), { method: "DELETE" }, 204, null);
    if (last.ok || last.failure.status === 404) return { ok: true, value: undefined };
    if (!last.failure.retryable) return last;
    await new Promise((resolve) => setTimeout(resolve, last.ok ? 0 : (last.failure.retryAfterMs ?? attempt * 500)));
  }
  return last;
}

/** A part with no progress for this long is given up on (and retried): a stalled connection, not a slow one. */
const PART_STALL_MS = 120_000;

/**
 * PUT one part with XMLHttpRequest, because fetch cannot report upload progress, with the SHA-256 of `body` that the
 * server checks before keeping it. `onProgress` gets the bytes of this part that have left the browser so far.
 */
export function putPart(exchangeId: string, partNumber: number, body: Uint8Array<ArrayBuffer>, sha256: string, onProgress: (sent: number) => void, signal: AbortSignal): Promise<ApiResult<PartReceipt>> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve({ ok: false, failure: ABORTED });
      return;
    }
    const xhr = new XMLHttpRequest();
    let settled = false;
    let stallTimer: ReturnType<typeof setTimeout> | undefined;
    const finish = (result: ApiResult<PartReceipt>) => {
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
      onProgress(body.byteLength);
    };
    xhr.onload = () => {
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: a proxy's page, say; an error falls back to a message for the status
      }
      if (xhr.status === 200) {
        finish(parsedBody(PartReceiptSchema, parsed));
        return;
      }
      finish({ ok: false, failure: failureOf(xhr.status, parsed, xhr.getResponseHeader("retry-after")) });
    };
    xhr.onerror = () => finish({ ok: false, failure: signal.aborted ? ABORTED : NETWORK_FAILURE });
    xhr.onabort = () => finish({ ok: false, failure: signal.aborted ? ABORTED : NETWORK_FAILURE });
    xhr.ontimeout = () => finish({ ok: false, failure: NETWORK_FAILURE });

    xhr.open("PUT", partPath(exchangeId, partNumber));
    xhr.setRequestHeader("content-type", "application/octet-stream");
    xhr.setRequestHeader(PART_SHA256_HEADER, sha256);
    watchStall();
    // As a Blob, not the buffer itself: the browser hands a Blob to its network stack without copying or inspecting
    // it on the page's thread (a 16 MiB buffer is copied there, and serialised whole when DevTools is attached).
    xhr.send(new Blob([body], { type: "application/octet-stream" }));
  });
}
