import "server-only";
import { randomUUID } from "node:crypto";
import type { Actor } from "../auth";
import type { Queryable } from "../db";
import { AppError } from "../errors/app-error";

/** A download that has not moved for this long lost its server (killed mid-stream); its slot is given back. */
export const STALE_RESERVATION_SECONDS = 5 * 60;
/** How often a streaming download proves it is alive; well under the stale age. */
export const HEARTBEAT_MS = 60 * 1000;

/**
 * Takes one download slot of the exchange, and of the share link it came through, if both are still usable. Each
 * check and its increment are one UPDATE, and both run in the caller's transaction, so however many requests race
 * on whichever routes, completed + in flight never passes either limit. Returns the reservation's id, or throws
 * the refusal (`downloads_used_up` for the exchange; the link's refusal is `link_unusable`, which the caller
 * explains from the link's state).
 */
export async function reserveDownload(tx: Queryable, exchangeId: string, linkId: string | null, actor: Actor): Promise<string> {
  const [exchange] = await tx.query(
    `UPDATE exchanges SET downloads_in_flight = downloads_in_flight + 1
      WHERE id = $1 AND status = 'available' AND (max_downloads IS NULL OR completed_downloads + downloads_in_flight < max_downloads)
      RETURNING id`,
    [exchangeId],
  );
  if (!exchange) throw new AppError("downloads_used_up", `exchange ${exchangeId} has no download left`);
  if (linkId) {
    const [link] = await tx.query(
      `UPDATE share_links SET in_flight = in_flight + 1
        WHERE id = $1 AND exchange_id = $2 AND revoked_at IS NULL AND expires_at > now()
          AND (max_downloads IS NULL OR completed_downloads + in_flight < max_downloads)
        RETURNING id`,
      [linkId, exchangeId],
    );
    if (!link) throw new LinkUnusableError(linkId);
  }
  const reservationId = randomUUID();
  await tx.query("INSERT INTO exchange_downloads (id, exchange_id, link_id, user_id, user_display_name, client_ip, state) VALUES ($1, $2, $3, $4, $5, $6, 'in_flight')", [
    reservationId,
    exchangeId,
    linkId,
    actor.userId,
    actor.displayName,
    actor.clientAddress,
  ]);
  return reservationId;
}

/** The link changed between its check and the reservation (revoked, expired, used up); the caller reads which. */
export class LinkUnusableError extends AppError {
  constructor(readonly linkId: string) {
    super("link_used_up", `link ${linkId} gave no slot`);
  }
}

/** Ends a reservation once: a completed download counts, anything else gives the slot back. */
export async function finishDownload(tx: Queryable, reservationId: string, complete: boolean): Promise<void> {
  const [ended] = await tx.query<{ exchange_id: string; link_id: string | null }>(
    "UPDATE exchange_downloads SET state = $2, finished_at = now() WHERE id = $1 AND state = 'in_flight' RETURNING exchange_id, link_id",
    [reservationId, complete ? "completed" : "failed"],
  );
  if (!ended) return;
  const counted = complete ? 1 : 0;
  await tx.query("UPDATE exchanges SET downloads_in_flight = downloads_in_flight - 1, completed_downloads = completed_downloads + $2 WHERE id = $1", [ended.exchange_id, counted]);
  if (ended.link_id) await tx.query("UPDATE share_links SET in_flight = in_flight - 1, completed_downloads = completed_downloads + $2 WHERE id = $1", [ended.link_id, counted]);
}

export async function heartbeat(db: Queryable, reservationId: string): Promise<void> {
  await db.query("UPDATE exchange_downloads SET heartbeat_at = now() WHERE id = $1 AND state = 'in_flight'", [reservationId]);
}

/** Gives back the slots of downloads whose server died; run before reserving, so a dead reservation never blocks a limit. */
export async function releaseStaleDownloads(tx: Queryable, exchangeId: string): Promise<number> {
  const stale = await tx.query<{ id: string; link_id: string | null }>(
    `UPDATE exchange_downloads SET state = 'abandoned', finished_at = now()
      WHERE exchange_id = $1 AND state = 'in_flight' AND heartbeat_at < now() - make_interval(secs => $2)
      RETURNING id, link_id`,
    [exchangeId, STALE_RESERVATION_SECONDS],
  );
  if (stale.length === 0) return 0;
  await tx.query("UPDATE exchanges SET downloads_in_flight = downloads_in_flight - $2 WHERE id = $1", [exchangeId, stale.length]);
  for (const row of stale) if (row.link_id) await tx.query("UPDATE share_links SET in_flight = in_flight - 1 WHERE id = $1", [row.link_id]);
  return stale.length;
}
