import "server-only";
import { randomUUID } from "node:crypto";
import type { Actor } from "../auth";
import type { Queryable } from "../db";

/** A download that has not moved for this long lost its server (killed mid-stream); its slot is given back. */
export const STALE_RESERVATION_SECONDS = 5 * 60;
/** How often a streaming download proves it is alive; well under the stale age. */
export const HEARTBEAT_MS = 60 * 1000;

/**
 * Takes one download slot if the link is still usable: the check and the increment are one UPDATE, so however many
 * requests race, completed + in flight never passes the limit. Returns the reservation's id, or null.
 */
export async function reserveSlot(db: Queryable, linkId: string, actor: Actor): Promise<string | null> {
  const [reserved] = await db.query(
    `UPDATE share_links SET in_flight = in_flight + 1
      WHERE id = $1 AND revoked_at IS NULL AND expires_at > now()
        AND (max_downloads IS NULL OR completed_downloads + in_flight < max_downloads)
      RETURNING id`,
    [linkId],
  );
  if (!reserved) return null;
  const reservationId = randomUUID();
  await db.query("INSERT INTO share_link_downloads (id, link_id, user_id, user_display_name, client_ip, state) VALUES ($1, $2, $3, $4, $5, 'in_flight')", [
    reservationId,
    linkId,
    actor.userId,
    actor.displayName,
    actor.clientAddress,
  ]);
  return reservationId;
}

/** Ends a reservation once: a completed download counts, anything else gives the slot back. */
export async function finishSlot(db: Queryable, reservationId: string, complete: boolean): Promise<void> {
  const [ended] = await db.query<{ link_id: string }>(
    "UPDATE share_link_downloads SET state = $2, finished_at = now() WHERE id = $1 AND state = 'in_flight' RETURNING link_id",
    [reservationId, complete ? "completed" : "failed"],
  );
  if (!ended) return;
  await db.query("UPDATE share_links SET in_flight = in_flight - 1, completed_downloads = completed_downloads + $2 WHERE id = $1", [ended.link_id, complete ? 1 : 0]);
}

export async function heartbeat(db: Queryable, reservationId: string): Promise<void> {
  await db.query("UPDATE share_link_downloads SET heartbeat_at = now() WHERE id = $1 AND state = 'in_flight'", [reservationId]);
}

/** Gives back the slots of downloads whose server died; run before reserving, so a dead reservation never blocks a link. */
export async function releaseStaleSlots(db: Queryable, linkId: string): Promise<number> {
  const stale = await db.query<{ id: string }>(
    `UPDATE share_link_downloads SET state = 'abandoned', finished_at = now()
      WHERE link_id = $1 AND state = 'in_flight' AND heartbeat_at < now() - make_interval(secs => $2)
      RETURNING id`,
    [linkId, STALE_RESERVATION_SECONDS],
  );
  if (stale.length > 0) await db.query("UPDATE share_links SET in_flight = in_flight - $2 WHERE id = $1", [linkId, stale.length]);
  return stale.length;
}
