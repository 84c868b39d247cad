import "server-only";

export { recordAuditEvent, type AuditActor, type AuditEventInput } from "./record";
export { AUDIT_ACTIONS, type AuditAction, type AuditOutcome } from "./actions";
