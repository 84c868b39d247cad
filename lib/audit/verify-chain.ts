import "server-only";
import type { Queryable } from "../db";
import { AuditEventRowSchema, type AuditEventRow } from "./audit-event-view";
import { checkpointMacValid, latestCheckpoint, listCheckpoints, writeCheckpoint, type AuditCheckpoint } from "./checkpoints";
import { auditEventHash } from "./record";

export type ChainProblem = "hash_mismatch" | "broken_link" | "missing_event" | "head_mismatch" | "checkpoint_forged" | "checkpoint_mismatch";

export interface ChainVerification {
  ok: boolean;
  checked: number;
  /** The first event that does not verify, and why. A checkpoint problem names the checkpoint's event. */
  firstBad?: { seq: number; problem: ChainProblem };
}

export interface VerifyOptions {
  /** Checkpoint key; without it checkpoints are compared with the chain but their signatures are not checked. */
  checkpointKey?: Buffer;
  /** Start after the newest checkpoint instead of at the first event (the dashboard badge: cost grows with new events only). */
  incremental?: boolean;
  /** Sign a checkpoint at the end of the chain once it verified. */
  signCheckpoint?: boolean;
}

const PAGE = 5000;
const GENESIS = "0".repeat(64);

/** The hash a stored row should carry when it follows `prevHash` (by default the one it names). */
export function recomputedHash(row: AuditEventRow, prevHash: string = row.prev_hash): string {
  return auditEventHash({
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
    prevHash,
  });
}

/**
 * A checkpoint must carry a valid signature and match the chain. An edit whose author recomputed every later hash
 * (and the head) passes the hash chain but not the next checkpoint, since they cannot sign a new one.
 */
function checkpointProblem(checkpoint: AuditCheckpoint, chainHash: string | undefined, key: Buffer | undefined): ChainProblem | null {
  if (key && !checkpointMacValid(key, checkpoint)) return "checkpoint_forged";
  return chainHash === checkpoint.hash ? null : "checkpoint_mismatch";
}

/**
 * Recomputes every event's hash and its link to the one before, in sequence order, checks the signed checkpoints
 * along the way, then compares the end of the chain with the head row. An edited, deleted, inserted or reordered
 * row shows up as the first event that fails.
 */
export async function verifyAuditChain(db: Queryable, options: VerifyOptions = {}): Promise<ChainVerification> {
  // Read before the head, so the checkpoint is never past the head even when another check signs one meanwhile.
  const start = options.incremental ? await latestCheckpoint(db) : undefined;
  // The head is read next and the scan stops there, so events appended while a live database is checked are left
  // for the next run instead of looking like a mismatch.
  const [head] = await db.query<{ seq: number; hash: string }>("SELECT seq, hash FROM audit_chain_head WHERE id = 1");
  const end = head?.seq ?? Number.MAX_SAFE_INTEGER;
  let expectedSeq = 1;
  let prevHash = GENESIS;
  let checked = 0;
  // Incremental: the newest checkpoint must still hold (signature, and the chain's hash at its seq); the scan then
  // starts after it. A full check compares every checkpoint on the way.
  let checkpoints: AuditCheckpoint[] = [];
  if (options.incremental) {
    if (start) {
      const [row] = await db.query<{ hash: string }>("SELECT hash FROM audit_events WHERE seq = $1", [start.seq]);
      const problem = checkpointProblem(start, row?.hash, options.checkpointKey);
      if (problem) return { ok: false, checked, firstBad: { seq: start.seq, problem } };
      expectedSeq = start.seq + 1;
      prevHash = start.hash;
    }
  } else {
    checkpoints = await listCheckpoints(db);
  }
  let nextCheckpoint = 0;
  for (;;) {
    const rows = await db.queryRows(AuditEventRowSchema, "SELECT * FROM audit_events WHERE seq >= $1 AND seq <= $2 ORDER BY seq LIMIT $3", [expectedSeq, end, PAGE]);
    for (const row of rows) {
      if (row.seq !== expectedSeq) return { ok: false, checked, firstBad: { seq: expectedSeq, problem: "missing_event" } };
      if (row.prev_hash !== prevHash) return { ok: false, checked, firstBad: { seq: row.seq, problem: "broken_link" } };
      if (recomputedHash(row) !== row.hash) return { ok: false, checked, firstBad: { seq: row.seq, problem: "hash_mismatch" } };
      const checkpoint = checkpoints[nextCheckpoint];
      if (checkpoint?.seq === row.seq) {
        const problem = checkpointProblem(checkpoint, row.hash, options.checkpointKey);
        if (problem) return { ok: false, checked, firstBad: { seq: row.seq, problem } };
        nextCheckpoint += 1;
      }
      prevHash = row.hash;
      expectedSeq += 1;
      checked += 1;
    }
    if (rows.length < PAGE) break;
  }
  if (!head || head.seq !== expectedSeq - 1 || head.hash !== prevHash) {
    return { ok: false, checked, firstBad: { seq: Math.min(head?.seq ?? expectedSeq, expectedSeq), problem: head && head.seq > expectedSeq - 1 ? "missing_event" : "head_mismatch" } };
  }
  // A checkpoint past the head whose event is gone means signed events were deleted from the tail and the head
  // rewound (one whose event exists was signed by a concurrent check after the head was read).
  const beyond = checkpoints[nextCheckpoint];
  if (beyond) {
    const [row] = await db.query("SELECT seq FROM audit_events WHERE seq = $1", [beyond.seq]);
    if (!row) return { ok: false, checked, firstBad: { seq: expectedSeq, problem: "missing_event" } };
  }
  if (options.signCheckpoint && options.checkpointKey && head.seq > 0) await writeCheckpoint(db, options.checkpointKey, head.seq, head.hash);
  return { ok: true, checked };
}
