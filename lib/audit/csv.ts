import type { AuditEventView } from "./audit-event-view";

// A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: formula starters neutralised with a leading apostrophe, then RFC 4180 quoting when needed. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: ReadonlyArray<string | number | boolean | null | undefined>): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}

export const AUDIT_CSV_HEADER = [
  "seq",
  "occurred_at",
  "action",
  "outcome",
  "reason",
  "actor_user_id",
  "actor_name",
  "actor_org",
  "actor_role",
  "target_type",
  "target_id",
  "target_name",
  "party_orgs",
  "client_ip",
  "user_agent",
  "aws_request_ids",
  "role_session_arn",
  "details",
] as const;

export function auditCsvRow(event: AuditEventView): string {
  return csvLine([
    event.seq,
    event.occurredAt,
    event.action,
    event.outcome,
    event.reason,
    event.actorUserId,
    event.actorName,
    event.actorOrg,
    event.actorRole,
    event.targetType,
    event.targetId,
    event.targetName,
    event.partyOrgs.join(" "),
    event.clientIp,
    event.userAgent,
    event.awsRequestIds.join(" "),
    event.roleSessionArn,
    JSON.stringify(event.details),
  ]);
}
