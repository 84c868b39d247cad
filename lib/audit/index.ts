import "server-only";

export { recordAuditEvent, type AuditActor, type AuditEventInput } from "./record";
export { AUDIT_ACTIONS, type AuditAction, type AuditOutcome } from "./actions";
export { auditScopeOf, mayCrossCheckKms, type AuditScope } from "./audit-access";
export { AuditFiltersSchema, parseAuditFilters, auditFiltersQuery, type AuditFilters } from "./audit-filters";
export type { AuditEventView } from "./audit-event-view";
export { listAuditPage, exchangeTimeline, auditChainStatus, signAuditCheckpoint, auditPeople, type AuditPerson } from "./audit-dashboard";
export type { AuditPage } from "./query-events";
export type { ChainVerification } from "./verify-chain";
export { crossCheckKms, type KmsCrossCheck } from "./kms-cross-check";
export type { KmsCallView } from "../contract/audit-view";
export { auditCharts, type AuditCharts } from "./audit-charts";
