import "server-only";
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import type { Queryable } from "../db";

export interface AuditCheckpoint {
  seq: number;
  hash: string;
  mac: string;
}

/** A key of its own for checkpoints, derived from the server secret as the TOTP sealing key is (other `info`). */
export function auditCheckpointKey(serverSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", serverSecret, Buffer.alloc(0), "keybridge/audit-checkpoint/v1", 32));
}

export function checkpointMac(key: Buffer, seq: number, hash: string): string {
  return createHmac("sha256", key).update(`keybridge-audit-checkpoint\n${seq}\n${hash}`).digest("hex");
}

export function checkpointMacValid(key: Buffer, checkpoint: AuditCheckpoint): boolean {
  const expected = Buffer.from(checkpointMac(key, checkpoint.seq, checkpoint.hash), "hex");
  const actual = Buffer.from(checkpoint.mac, "hex");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Signs (seq, hash) of an event the caller has just verified; an existing checkpoint at seq is left alone. */
export async function writeCheckpoint(db: Queryable, key: Buffer, seq: number, hash: string): Promise<void> {
  await db.query("INSERT INTO audit_checkpoints (seq, hash, signed_at, mac) VALUES ($1, $2, now(), $3) ON CONFLICT (seq) DO NOTHING", [seq, hash, checkpointMac(key, seq, hash)]);
}

export async function listCheckpoints(db: Queryable): Promise<AuditCheckpoint[]> {
  return db.query<AuditCheckpoint>("SELECT seq, hash, mac FROM audit_checkpoints ORDER BY seq");
}

export async function latestCheckpoint(db: Queryable): Promise<AuditCheckpoint | undefined> {
  const [row] = await db.query<AuditCheckpoint>("SELECT seq, hash, mac FROM audit_checkpoints ORDER BY seq DESC LIMIT 1");
  return row;
}
