/**
 * The one error type the domain throws on purpose. `code` picks the HTTP status and the message a person sees;
 * `internal` is for logs only and never reaches a client.
 */
export const APP_ERRORS = {
  unauthenticated: { status: 401, message: "Please sign in to continue." },
  mfa_required: { status: 403, message: "Confirm it is you with a code from your authenticator app, then try again." },
  forbidden: { status: 403, message: "You do not have access to this." },
  not_found: { status: 404, message: "Not found. It may have been removed, or the address is wrong." },
  invalid_input: { status: 400, message: "Some of the information sent was not valid." },
  unsupported_media_type: { status: 415, message: "Send this request as JSON (Content-Type: application/json)." },
  network_not_allowed: { status: 403, message: "Uploads from your network are not allowed by your organization. Connect from an approved network (for example the office or VPN) and try again." },
  recipient_not_allowed: { status: 403, message: "Your organization may not send files to that organization." },
  too_large: { status: 413, message: "The file is larger than the upload limit." },
  metadata_too_long: { status: 400, message: "The file name and message together are too long. Shorten the message or rename the file." },
  upload_state: { status: 409, message: "This upload is not waiting for data. Start a new upload." },
  upload_incomplete: { status: 400, message: "The upload ended before all the bytes arrived. Try again." },
  parts_missing: { status: 409, message: "Some parts of this upload have not arrived yet. Send them, then finish the upload." },
  range_not_satisfiable: { status: 416, message: "The requested byte range is outside the file. Download it again from the start." },
  key_service_denied: { status: 403, message: "The key service refused this operation for your organization's role." },
  key_service_unavailable: { status: 503, message: "The key service is unavailable. Try again in a moment." },
  integrity_failure: { status: 502, message: "The stored file failed its integrity check and was not sent. Report this to your administrator." },
  link_expired: { status: 410, message: "This link has expired. Ask the sender for a new one." },
  link_used_up: { status: 410, message: "This link has been used up: it allowed no more downloads. Ask the sender for a new one." },
  link_revoked: { status: 410, message: "This link was revoked by the sender. Ask them for a new one if you still need the file." },
  mfa_invalid: { status: 400, message: "That code is not right, or it was already used. Wait for the next code in your authenticator app and enter it." },
  mfa_not_enrolled: { status: 403, message: "Set up an authenticator app in Settings → Security first." },
  rate_limited: { status: 429, message: "Too many attempts. Wait a moment and try again." },
  storage_failure: { status: 507, message: "The server's storage is full or failing, so nothing was kept. Try again later; if it keeps happening, tell your administrator." },
  internal: { status: 500, message: "Something went wrong on our side. Try again; if it keeps happening, contact your administrator." },
} as const satisfies Record<string, { status: number; message: string }>;

export type AppErrorCode = keyof typeof APP_ERRORS;

export class AppError extends Error {
  override name = "AppError";
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
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
