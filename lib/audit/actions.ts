/** The closed set of audited actions; adding one is a deliberate change here. */
export const AUDIT_ACTIONS = [
  "auth.sign_in",
  "auth.sign_out",
  "auth.mfa_verify",
  "auth.reauthenticate",
  "auth.account_unlocked",
  "upload.started",
  "upload.completed",
  "upload.failed",
  "upload.cancelled",
  "exchange.metadata_decrypted",
  "download.started",
  "download.completed",
  "download.denied",
  "download.failed",
  "link.created",
  "link.revoked",
  "link.expired",
  "link.used_up",
  "link.accessed",
  "link.denied",
  "mfa.enrolled",
  "mfa.enrol_failed",
  "mfa.recovery_codes_generated",
  "mfa.recovery_code_used",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export type AuditOutcome = "success" | "denied" | "failed";
