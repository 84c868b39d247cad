import "server-only";
import type { Actor } from "../auth";
import { getDatabase } from "../db";

/** A link expiring within this long with no completed download is worth telling its sender about. */
const EXPIRING_WITHIN = "24 hours";

/** New exchanges for the person's organization and links addressed to them since they last opened the Inbox. */
export async function unreadCount(actor: Actor): Promise<number> {
  const db = await getDatabase();
  const [row] = await db.query<{ unread: number }>(
    `WITH seen AS (SELECT coalesce(inbox_seen_at, '-infinity'::timestamptz) AS at FROM users WHERE id = $1)
     SELECT (SELECT count(*) FROM exchanges, seen WHERE recipient_org = $2 AND status = 'available' AND completed_at > seen.at
                AND (recipient_user_ids IS NULL OR $1 = ANY(recipient_user_ids)))::int
          + (SELECT count(*) FROM share_links l JOIN exchanges e ON e.id = l.exchange_id, seen
              WHERE e.recipient_org = $2 AND l.revoked_at IS NULL AND l.created_at > seen.at
                AND (l.whole_org OR EXISTS (SELECT 1 FROM share_link_recipients r WHERE r.link_id = l.id AND r.user_id = $1)))::int AS unread`,
    [actor.userId, actor.orgSlug],
  );
  return row?.unread ?? 0;
}

/** Opening the Inbox reads what is new, as opening a mail folder does. */
export async function markInboxSeen(actor: Actor): Promise<void> {
  const db = await getDatabase();
  await db.query("UPDATE users SET inbox_seen_at = now() WHERE id = $1", [actor.userId]);
}

export interface SenderNotification {
  kind: "first_download" | "expiring_unused";
  exchangeId: string;
  at: string;
  /** Who downloaded first; null for an expiring link. */
  who: string | null;
}

/** For what a person sent: the first download of each exchange, by any route (a receipt), and their links about to expire unused. Computed on read. */
export async function senderNotifications(actor: Actor): Promise<SenderNotification[]> {
  const db = await getDatabase();
  const rows = await db.query<{ kind: SenderNotification["kind"]; exchange_id: string; at: Date; who: string | null }>(
    `SELECT 'first_download' AS kind, e.id AS exchange_id, d.finished_at AS at, d.user_display_name AS who
       FROM exchanges e
       JOIN LATERAL (SELECT finished_at, user_display_name FROM exchange_downloads
                      WHERE exchange_id = e.id AND state = 'completed' ORDER BY finished_at LIMIT 1) d ON true
      WHERE e.sender_user_id = $1 AND d.finished_at > now() - interval '7 days'
     UNION ALL
     SELECT 'expiring_unused', l.exchange_id, l.expires_at, NULL
       FROM share_links l
      WHERE l.created_by = $1 AND l.revoked_at IS NULL AND l.completed_downloads = 0
        AND l.expires_at > now() AND l.expires_at < now() + interval '${EXPIRING_WITHIN}'
     ORDER BY at DESC LIMIT 20`,
    [actor.userId],
  );
  return rows.map((row) => ({ kind: row.kind, exchangeId: row.exchange_id, at: row.at.toISOString(), who: row.who }));
}
