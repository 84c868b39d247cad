import "server-only";
import type { Actor } from "../auth";
import { getDatabase } from "../db";
import { openDownload, type ExchangeDownload } from "../exchanges";
import { authorizedLink, linkStatusError } from "./authorized-link";
import { linkStatus } from "./link-access-policy";
import { findLinkById, linkStateOf } from "./link-rows";
import { finishSlot, heartbeat, HEARTBEAT_MS, releaseStaleSlots, reserveSlot } from "./link-slots";

/** Why a reservation could not be had, read after the fact: the link changed between the check and the UPDATE. */
async function refusalOf(linkId: string): Promise<Error> {
  const link = await findLinkById(await getDatabase(), linkId);
  const status = link ? linkStatus(linkStateOf(link), new Date()) : "revoked";
  // Active but no slot: every remaining download is in flight right now, which for this person means used up.
  return linkStatusError(status === "active" ? "used_up" : status);
}

/**
 * A download through a share link: the link's checks, then a reserved slot, then the exchange's own decrypt path
 * (`openDownload`, with the recipient's role and MFA evidence). The slot counts only if every byte went out.
 */
export async function linkDownload(actor: Actor, token: string): Promise<ExchangeDownload> {
  const link = await authorizedLink(actor, token, "download");
  const db = await getDatabase();
  await db.transaction((tx) => releaseStaleSlots(tx, link.id));
  const reservationId = await db.transaction((tx) => reserveSlot(tx, link.id, actor));
  if (!reservationId) throw await refusalOf(link.id);

  const alive = setInterval(() => void heartbeat(db, reservationId).catch(() => undefined), HEARTBEAT_MS);
  alive.unref();
  let finished = false;
  const finish = async (complete: boolean) => {
    if (finished) return;
    finished = true;
    clearInterval(alive);
    await db.transaction((tx) => finishSlot(tx, reservationId, complete));
  };
  try {
    return await openDownload(actor, link.exchange_id, {
      // A queued download must not start after the sender revoked the link.
      async beforeFirstByte() {
        const current = await findLinkById(db, link.id);
        if (!current || current.revoked_at) throw linkStatusError("revoked");
      },
      onEnd: finish,
    });
  } catch (error) {
    await finish(false);
    throw error;
  }
}
