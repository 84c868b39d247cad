// The audit views that cross from the server to the browser: lib/audit builds them, the audit components render
// them. Plain types, no server modules, so a client component may import them.

/** One audit event as pages, exports and components see it. */
export interface AuditEventView {
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
  partyOrgs: string[];
  clientIp: string | null;
  userAgent: string | null;
  awsRequestIds: string[];
  roleSessionArn: string | null;
  details: Record<string, string | number | boolean | null>;
}

/** A KMS call as the key service logged it (CloudTrail, or local-aws's event log), dates as strings. */
export interface KmsCallView {
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
