import "server-only";
import { createHash } from "node:crypto";
import type { Transaction } from "../db";
import { currentRequestId } from "../log";
import type { AuditAction, AuditOutcome } from "./actions";

export interface AuditActor {
  userId: string | null;
  displayName: string | null;
  org: string | null;
  role: string | null;
}

export interface AuditEventInput {
  action: AuditAction;
  outcome: AuditOutcome;
  /** A short machine-readable reason for denials and failures; never a secret or an exception dump. */
  reason?: string;
  actor: AuditActor;
  target?: { type: "exchange" | "user" | "session" | "link"; id: string; displayName?: string };
  /** Organizations that may see this event besides the actor's. */
  partyOrgs?: string[];
  client?: { address: string | null; userAgent: string | null };
  aws?: { requestIds: Array<string | undefined>; roleSessionArn?: string };
  details?: Record<string, string | number | boolean | null>;
}

/** Stored form; `hash` covers every other field and the previous event's hash. */
interface ChainedFields {
  seq: number;
  occurredAt: string;
  action: string;
  outcome: string;
  reason: string | null;
  actor: AuditActor;
  target: { type: string; id: string; displayName: string | null } | null;
  partyOrgs: string[];
  clientAddress: string | null;
  userAgent: string | null;
  awsRequestIds: string[];
  roleSessionArn: string | null;
  details: Record<string, string | number | boolean | null>;
  prevHash: string;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

export function auditEventHash(fields: ChainedFields): string {
  return createHash("sha256").update(canonical(fields)).digest("hex");
}

/** The next link of the chain after `previous`: the stored fields and their hash. */
export function chainedEvent(previous: { seq: number; hash: string }, input: AuditEventInput, occurredAt: Date): { fields: ChainedFields; hash: string } {
  const fields: ChainedFields = {
    seq: previous.seq + 1,
    occurredAt: occurredAt.toISOString(),
    action: input.action,
    outcome: input.outcome,
    reason: input.reason ?? null,
    actor: input.actor,
    target: input.target ? { type: input.target.type, id: input.target.id, displayName: input.target.displayName ?? null } : null,
    partyOrgs: [...new Set(input.partyOrgs ?? [])].sort(),
    clientAddress: input.client?.address ?? null,
    userAgent: input.client?.userAgent?.slice(0, 512) ?? null,
    awsRequestIds: (input.aws?.requestIds ?? []).filter((id): id is string => Boolean(id)),
    roleSessionArn: input.aws?.roleSessionArn ?? null,
    details: input.details ?? {},
    prevHash: previous.hash,
  };
  return { fields, hash: auditEventHash(fields) };
}

/** The audit_events columns in INSERT order, and one event's values for them. */
export const AUDIT_EVENT_COLUMNS = [
  "seq", "occurred_at", "action", "outcome", "reason", "actor_user_id", "actor_display_name", "actor_org", "actor_role",
  "target_type", "target_id", "target_display_name", "party_orgs", "client_ip", "user_agent", "aws_request_ids", "role_session_arn", "details", "prev_hash", "hash",
] as const;

export function auditEventValues(fields: ChainedFields, hash: string): unknown[] {
  return [
    fields.seq,
    fields.occurredAt,
    fields.action,
    fields.outcome,
    fields.reason,
    fields.actor.userId,
    fields.actor.displayName,
    fields.actor.org,
    fields.actor.role,
    fields.target?.type ?? null,
    fields.target?.id ?? null,
    fields.target?.displayName ?? null,
    fields.partyOrgs,
    fields.clientAddress,
    fields.userAgent,
    fields.awsRequestIds,
    fields.roleSessionArn,
    JSON.stringify(fields.details),
    fields.prevHash,
    hash,
  ];
}

/**
 * Appends one event inside the caller's transaction, so the event and the change it records commit together or
 * not at all. The chain head row is locked, which orders writers across instances.
 */
export async function recordAuditEvent(tx: Transaction, input: AuditEventInput): Promise<void> {
  const [head] = await tx.query<{ seq: number; hash: string }>("SELECT seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE");
  if (!head) throw new Error("audit chain head is missing");
  // The request that caused the event, as in the server's log line for it and the User-Agent of its AWS calls.
  const requestId = currentRequestId();
  const { fields, hash } = chainedEvent(head, requestId ? { ...input, details: { ...input.details, requestId } } : input, new Date());
  const placeholders = AUDIT_EVENT_COLUMNS.map((_, index) => `$${index + 1}`).join(", ");
  await tx.query(`INSERT INTO audit_events (${AUDIT_EVENT_COLUMNS.join(", ")}) VALUES (${placeholders})`, auditEventValues(fields, hash));
  await tx.query("UPDATE audit_chain_head SET seq = $1, hash = $2 WHERE id = 1", [fields.seq, hash]);
}
