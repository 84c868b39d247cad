import "server-only";
import type { Actor } from "../auth";
import { getDatabase } from "../db";
import { openDownload, type ExchangeDownload } from "../exchanges";
import { LinkUnusableError } from "../exchanges/download-slots";
import { authorizedLink, linkStatusError } from "./authorized-link";
import { linkStatus } from "./link-access-policy";
import { findLinkById, linkStateOf } from "./link-rows";

/** Why a reservation could not be had, read after the fact: the link changed between the check and the UPDATE. */
async function refusalOf(linkId: string): Promise<Error> {
  const link = await findLinkById(await getDatabase(), linkId);
  const status = link ? linkStatus(linkStateOf(link), new Date()) : "revoked";
  // Active but no slot: every remaining download is in flight right now, which for this person means used up.
  return linkStatusError(status === "active" ? "used_up" : status);
}

/**
 * A download through a share link: the link's own checks, then the exchange's download path (`openDownload`), which
 * applies the exchange's access decision as well (a link narrows it, never widens it) and reserves a slot of both
 * the exchange and the link in one transaction. Unlimited links resume with Range like any download.
 */
export async function linkDownload(actor: Actor, token: string, requested: { range: string | null; ifRange: string | null }): Promise<ExchangeDownload> {
  const link = await authorizedLink(actor, token, "download");
  try {
    return await openDownload(actor, link.exchange_id, { ...requested, link: { id: link.id, maxDownloads: link.max_downloads } });
  } catch (error) {
    if (error instanceof LinkUnusableError) throw await refusalOf(link.id);
    throw error;
  }
}
