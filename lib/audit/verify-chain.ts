import "server-only";
import type { Queryable } from "../db";
import { auditEventHash } from "./record";

export interface ChainVerification {
  ok: boolean;
  checked: number;
  /** The first event that does not verify, and why. */
  firstBad?: { seq: number; problem: "hash_mismatch" | "broken_link" | "missing_event" | "head_mismatch" };
}

interface StoredEvent {
  seq: number;
  occurred_at: Date;
  action: string;
  outcome: string;
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

const PAGE = 5000;
const GENESIS = "0".repeat(64);

/**
 * Recomputes every event's hash and its link to the one before, in sequence order, then compares the end of the
 * chain with the head row. An edited, deleted, inserted or reordered row shows up as the first event that fails.
 */
export async function verifyAuditChain(db: Queryable): Promise<ChainVerification> {
  let expectedSeq = 1;
  let prevHash = GENESIS;
  let checked = 0;
  for (;;) {
    const rows = await db.query<StoredEvent>("SELECT * FROM audit_events WHERE seq >= $1 ORDER BY seq LIMIT $2", [expectedSeq, PAGE]);
    for (const row of rows) {
      if (row.seq !== expectedSeq) return { ok: false, checked, firstBad: { seq: expectedSeq, problem: "missing_event" } };
      if (row.prev_hash !== prevHash) return { ok: false, checked, firstBad: { seq: row.seq, problem: "broken_link" } };
      const recomputed = auditEventHash({
        seq: row.seq,
        occurredAt: row.occurred_at.toISOString(),
        action: row.action,
        outcome: row.outcome,
        reason: row.reason,
        actor: { userId: row.actor_user_id, displayName: row.actor_display_name, org: row.actor_org, role: row.actor_role },
        target: row.target_type && row.target_id ? { type: row.target_type, id: row.target_id, displayName: row.target_display_name } : null,
        partyOrgs: row.party_orgs,
        clientAddress: row.client_ip,
        userAgent: row.user_agent,
        awsRequestIds: row.aws_request_ids,
        roleSessionArn: row.role_session_arn,
        details: row.details,
        prevHash: row.prev_hash,
      });
      if (recomputed !== row.hash) return { ok: false, checked, firstBad: { seq: row.seq, problem: "hash_mismatch" } };
      prevHash = row.hash;
      expectedSeq += 1;
      checked += 1;
    }
    if (rows.length < PAGE) break;
  }
  const [head] = await db.query<{ seq: number; hash: string }>("SELECT seq, hash FROM audit_chain_head WHERE id = 1");
  if (!head || head.seq !== expectedSeq - 1 || head.hash !== prevHash) {
    return { ok: false, checked, firstBad: { seq: Math.min(head?.seq ?? expectedSeq, expectedSeq), problem: head && head.seq > expectedSeq - 1 ? "missing_event" : "head_mismatch" } };
  }
  return { ok: true, checked };
}
