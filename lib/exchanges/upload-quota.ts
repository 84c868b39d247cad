import "server-only";
import { getConfig } from "../config";
import type { Queryable } from "../db";
import { AppError } from "../errors/app-error";

/** The first key of the two-key advisory lock space, so these locks never meet another module's. */
const UPLOAD_QUOTA_LOCK_CLASS = 0x4b420001;

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(bytes < 10 * 1024 ** 3 ? 1 : 0)} GB`;

/**
 * Refuses a new upload that would take its sender past the cap on unfinished uploads, in number or in declared
 * bytes. Runs inside the transaction that inserts the upload, before the insert: the per-member advisory lock
 * queues that member's concurrent creations, and under READ COMMITTED each one, once it holds the lock, counts
 * every upload the ones before it committed, so a burst of any size ends exactly at the cap (on PostgreSQL and
 * across instances alike; PGlite runs one query at a time anyway).
 */
export async function assertUploadQuota(tx: Queryable, userId: string, declaredBytes: number): Promise<void> {
  const { maxUnfinishedPerMember, maxUnfinishedBytesPerMember } = getConfig().uploads;
  await tx.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [UPLOAD_QUOTA_LOCK_CLASS, userId]);
  const [usage] = await tx.query<{ uploads: string | number; bytes: string | number }>(
    "SELECT count(*) AS uploads, coalesce(sum(declared_size), 0) AS bytes FROM exchanges WHERE sender_user_id = $1 AND status <> 'available'",
    [userId],
  );
  const uploads = Number(usage?.uploads ?? 0);
  const bytes = Number(usage?.bytes ?? 0);
  if (uploads + 1 > maxUnfinishedPerMember) {
    throw new AppError(
      "upload_quota_exceeded",
      `${uploads} unfinished uploads, cap ${maxUnfinishedPerMember}`,
      `You already have ${uploads} unfinished uploads, the most one person may have at once. Finish or discard your incomplete uploads on the Upload page, then try again.`,
    );
  }
  if (bytes + declaredBytes > maxUnfinishedBytesPerMember) {
    throw new AppError(
      "upload_quota_exceeded",
      `${bytes} + ${declaredBytes} unfinished bytes, cap ${maxUnfinishedBytesPerMember}`,
      `Your unfinished uploads already add up to ${gib(bytes)}, and this file would take them past ${gib(maxUnfinishedBytesPerMember)}, the most one person may have in progress. Finish or discard your incomplete uploads on the Upload page, then try again.`,
    );
  }
}
