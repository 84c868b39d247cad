// Words people read for the audit trail's machine names; unknown names show as they are.

export const ACTION_LABELS: Record<string, string> = {
  "auth.sign_in": "Sign-in",
  "auth.sign_out": "Sign-out",
  "auth.mfa_verify": "MFA check",
  "upload.started": "Upload started",
  "upload.completed": "Upload completed",
  "upload.failed": "Upload failed",
  "upload.cancelled": "Upload cancelled",
  "exchange.metadata_decrypted": "File names decrypted",
  "download.started": "Download started",
  "download.completed": "Download completed",
  "download.denied": "Download denied",
  "download.failed": "Download failed",
  "link.created": "Share link created",
  "link.revoked": "Share link revoked",
  "link.expired": "Expired share link used",
  "link.used_up": "Used-up share link used",
  "link.accessed": "Share link opened",
  "link.denied": "Share link refused",
  "mfa.enrolled": "Authenticator enrolled",
  "mfa.enrol_failed": "Authenticator enrolment failed",
  "mfa.recovery_codes_generated": "Recovery codes generated",
  "mfa.recovery_code_used": "Recovery code used",
};

export const OUTCOME_LABELS: Record<string, string> = { success: "Success", denied: "Denied", failed: "Failed" };

export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action;
}

const PROBLEM_LABELS: Record<string, string> = {
  hash_mismatch: "its content was changed",
  broken_link: "it does not follow the event before it (reordered or replaced)",
  missing_event: "it is missing (deleted)",
  head_mismatch: "the end of the chain does not match its recorded head",
  checkpoint_forged: "its signed checkpoint has a bad signature",
  checkpoint_mismatch: "the chain no longer matches its signed checkpoint (rewritten at or before it)",
};

export function chainProblemLabel(problem: string): string {
  return PROBLEM_LABELS[problem] ?? problem;
}
