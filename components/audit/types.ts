// Plain shapes the audit pages pass to components; lib/audit's views are structurally assignable to them.

export interface AuditEventSummary {
  seq: number;
  occurredAt: string;
  action: string;
  outcome: "success" | "denied" | "failed";
  reason: string | null;
  actorUserId: string | null;
  actorName: string | null;
  actorOrg: string | null;
  actorRole: string | null;
  targetType: string | null;
  targetId: string | null;
  targetName: string | null;
  clientIp: string | null;
  userAgent: string | null;
  awsRequestIds: string[];
  roleSessionArn: string | null;
  details: Record<string, string | number | boolean | null>;
}

/** A KMS call as the key service logged it (CloudTrail, or local-aws's event log). */
export interface KmsCallSummary {
  eventId: string;
  requestId: string;
  eventName: string;
  eventTime: string;
  principalArn: string | null;
  sourceIdentity: string | null;
  sourceIp: string | null;
  errorCode: string | null;
  exchangeId: string | null;
  purpose: string | null;
}

export interface ChainStatusSummary {
  ok: boolean;
  checked: number;
  firstBad?: { seq: number; problem: string };
}
