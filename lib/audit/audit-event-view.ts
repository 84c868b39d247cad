import { z } from "zod";
import type { AuditEventView } from "../contract/audit-view";

export type { AuditEventView };

/** The stored row, as both database drivers return it. */
export const AuditEventRowSchema = z.object({
  seq: z.number().int().positive(),
  occurred_at: z.date(),
  action: z.string(),
  outcome: z.enum(["success", "denied", "failed"]),
  reason: z.string().nullable(),
  actor_user_id: z.string().nullable(),
  actor_display_name: z.string().nullable(),
  actor_org: z.string().nullable(),
  actor_role: z.string().nullable(),
  target_type: z.string().nullable(),
  target_id: z.string().nullable(),
  target_display_name: z.string().nullable(),
  party_orgs: z.array(z.string()),
  client_ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  aws_request_ids: z.array(z.string()),
  role_session_arn: z.string().nullable(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  prev_hash: z.string(),
  hash: z.string(),
});
export type AuditEventRow = z.output<typeof AuditEventRowSchema>;

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
