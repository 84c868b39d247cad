import type { AuditEventView } from "../contract/audit-view";

export type { AuditEventView };

/** The stored row, as both database drivers return it. */
export interface AuditEventRow {
  seq: number;
  occurred_at: Date;
  action: string;
  outcome: "success" | "denied" | "failed";
  reason: string | null;
  actor_user_id: string | null;
  actor_display_name: string | null;
  actor_org: string | null;
  actor_role: string | null;
  target_type: string | null;
  target_id: string | null;
  target_display_name: string | null;
  party_orgs: string[];
  client_ip: string | null;
  user_agent: string | null;
  aws_request_ids: string[];
  role_session_arn: string | null;
  details: Record<string, string | number | boolean | null>;
  prev_hash: string;
  hash: string;
  [key: string]: unknown;
}

export function toAuditEventView(row: AuditEventRow): AuditEventView {
  return {
    seq: row.seq,
    occurredAt: row.occurred_at.toISOString(),
    action: row.action,
    outcome: row.outcome,
    reason: row.reason,
    actorUserId: row.actor_user_id,
    actorName: row.actor_display_name,
    actorOrg: row.actor_org,
    actorRole: row.actor_role,
    targetType: row.target_type,
    targetId: row.target_id,
    targetName: row.target_display_name,
    partyOrgs: row.party_orgs,
    clientIp: row.client_ip,
    userAgent: row.user_agent,
    awsRequestIds: row.aws_request_ids,
    roleSessionArn: row.role_session_arn,
    details: row.details,
  };
}
