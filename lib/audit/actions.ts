/** The closed set of audited actions; adding one is a deliberate change here. */
export const AUDIT_ACTIONS = [
  "auth.sign_in",
  "auth.sign_out",
  "auth.mfa_verify",
  "upload.started",
  "upload.completed",
  "upload.failed",
  "upload.cancelled",
  "exchange.metadata_decrypted",
  "download.started",
  "download.completed",
  "download.denied",
  "download.failed",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export type AuditOutcome = "success" | "denied" | "failed";
