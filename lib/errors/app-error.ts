/**
 * The one error type the domain throws on purpose. `code` picks the HTTP status, the message a person sees and
 * whether sending the same request again can help (`retryable`, sent to clients so none guesses from a status);
 * `internal` is for logs only and never reaches a client.
 */
export const APP_ERRORS = {
  unauthenticated: { status: 401, message: "Please sign in to continue.", retryable: false },
  mfa_required: { status: 403, message: "Confirm it is you with a code from your authenticator app, then try again.", retryable: false },
  forbidden: { status: 403, message: "You do not have access to this.", retryable: false },
  not_found: { status: 404, message: "Not found. It may have been removed, or the address is wrong.", retryable: false },
  invalid_input: { status: 400, message: "Some of the information sent was not valid.", retryable: false },
  unsupported_media_type: { status: 415, message: "Send this request as JSON (Content-Type: application/json).", retryable: false },
  network_not_allowed: { status: 403, message: "Uploads from your network are not allowed by your organization. Connect from an approved network (for example the office or VPN) and try again.", retryable: false },
  recipient_not_allowed: { status: 403, message: "Your organization may not send files to that organization.", retryable: false },
  too_large: { status: 413, message: "The file is larger than the upload limit.", retryable: false },
  request_too_large: { status: 413, message: "This request is larger than the server accepts. Files go through the upload page, not a form.", retryable: false },
  request_timeout: { status: 408, message: "The request arrived too slowly and was cut off. Check your connection and try again.", retryable: true },
  method_not_allowed: { status: 405, message: "This address does not accept that kind of request.", retryable: false },
  upload_quota_exceeded: { status: 409, message: "You have too many unfinished uploads. Finish or discard your incomplete uploads on the Upload page, then try again.", retryable: false },
  metadata_too_long: { status: 400, message: "The file name and message together are too long. Shorten the message or rename the file.", retryable: false },
  upload_state: { status: 409, message: "This upload is not waiting for data. Start a new upload.", retryable: false },
  upload_incomplete: { status: 400, message: "The upload ended before all the bytes arrived. Try again.", retryable: true },
  parts_missing: { status: 409, message: "Some parts of this upload have not arrived yet. Send them, then finish the upload.", retryable: false },
  range_not_satisfiable: { status: 416, message: "The requested byte range is outside the file. Download it again from the start.", retryable: false },
  key_service_denied: { status: 403, message: "The key service refused this operation for your organization's role.", retryable: false },
  key_service_unavailable: { status: 503, message: "The key service is unavailable. Try again in a moment.", retryable: true },
  part_digest_mismatch: { status: 422, message: "The bytes that reached the server for this part are not the ones your browser read, so nothing was kept. If the file is being changed, wait until it is saved, then send it again.", retryable: false },
  file_digest_mismatch: { status: 422, message: "The SHA-256 your browser declared for the whole file does not match the parts the server holds, so the upload was not finished. Send the file again.", retryable: false },
  integrity_failure: { status: 502, message: "The stored file failed its integrity check and was not sent. Report this to your administrator.", retryable: false },
  downloads_used_up: { status: 410, message: "This file has been downloaded as many times as the sender allowed. Ask the sender to send it again if you still need it.", retryable: false },
  link_expired: { status: 410, message: "This link has expired. Ask the sender for a new one.", retryable: false },
  link_used_up: { status: 410, message: "This link has been used up: it allowed no more downloads. Ask the sender for a new one.", retryable: false },
  link_revoked: { status: 410, message: "This link was revoked by the sender. Ask them for a new one if you still need the file.", retryable: false },
  mfa_invalid: { status: 400, message: "That code is not right, or it was already used. Wait for the next code in your authenticator app and enter it.", retryable: false },
  password_invalid: { status: 400, message: "That is not your current password. Enter the password you sign in with.", retryable: false },
  mfa_not_enrolled: { status: 403, message: "Set up an authenticator app in Settings → Security first.", retryable: false },
  rate_limited: { status: 429, message: "Too many attempts. Wait a moment and try again.", retryable: true },
  database_unavailable: { status: 503, message: "The database is busy or unreachable, so nothing was changed. Try again in a moment.", retryable: true },
  storage_failure: { status: 507, message: "The server's storage is full or failing, so nothing was kept. Try again later; if it keeps happening, tell your administrator.", retryable: true },
  internal: { status: 500, message: "Something went wrong on our side. Try again; if it keeps happening, contact your administrator.", retryable: true },
} as const satisfies Record<string, { status: number; message: string; retryable: boolean }>;

export type AppErrorCode = keyof typeof APP_ERRORS;

/**
 * Marks AppErrors by a registered symbol, not by class identity: the bundler may give routes their own copies of
 * this module, and a process-wide singleton (the database, the blob store) made by one route throws another copy's
 * AppError into the next route, where `instanceof` would call it a stranger.
 */
const APP_ERROR: unique symbol = Symbol.for("keybridge.app-error");

export class AppError extends Error {
  override name = "AppError";
  readonly [APP_ERROR] = true;
  constructor(
    readonly code: AppErrorCode,
    readonly internal?: string,
    readonly userMessage: string = APP_ERRORS[code].message,
  ) {
    super(internal ? `${code}: ${internal}` : code);
  }

  get status(): number {
    return APP_ERRORS[this.code].status;
  }

  get retryable(): boolean {
    return APP_ERRORS[this.code].retryable;
  }
}

export function isAppError(error: unknown): error is AppError {
  return typeof error === "object" && error !== null && (error as { [APP_ERROR]?: unknown })[APP_ERROR] === true;
}

/**
 * What a use-case reports for anything it catches: owners (lib/aws, lib/storage, lib/db) have already turned their
 * dependency's failures into AppErrors, so anything else is a bug and says so only internally.
 */
export function asAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  return new AppError("internal", error instanceof Error ? `${error.name}: ${error.message}` : String(error));
}

/** Runs `work` and hands any failure to `translate`: how an owner module turns its dependency's errors into AppErrors. */
export async function translatingFailures<T>(work: () => Promise<T>, translate: (error: unknown) => AppError): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translate(error);
  }
}
