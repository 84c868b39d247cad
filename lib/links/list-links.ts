import "server-only";
import type { Actor } from "../auth";
import { getDatabase } from "../db";
import { AppError } from "../errors/app-error";
import { findExchange } from "../exchanges/exchange-rows";
import { linkStatus, mayManageLinks, type LinkStatus } from "./link-access-policy";
import { linksOfExchange, linkStateOf } from "./link-rows";

/** A link expiring within this long without a completed download is flagged to the sender. */
export const EXPIRY_WARNING_MS = 24 * 3600 * 1000;

export interface LinkDownloadReceipt {
  who: string;
  at: string;
  from: string | null;
  state: "in_flight" | "completed" | "failed" | "abandoned";
}

export interface LinkView {
  id: string;
  status: LinkStatus;
  createdAt: string;
  expiresAt: string;
  maxDownloads: number | null;
  completedDownloads: number;
  /** "Everyone at <org>" when empty. */
  namedRecipients: string[];
  downloads: LinkDownloadReceipt[];
  expiringUnused: boolean;
}

/** The sender's view of an exchange's links, with each link's download receipts. */
export async function listLinks(actor: Actor, exchangeId: string, now = new Date()): Promise<LinkView[]> {
  const db = await getDatabase();
  const exchange = await findExchange(db, exchangeId);
  if (!exchange || !mayManageLinks(actor, { senderOrg: exchange.sender_org, status: exchange.status }, "list")) throw new AppError("not_found", "no exchange");
  const rows = await linksOfExchange(db, exchange.id);
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const [names, downloads] = await Promise.all([
    db.query<{ link_id: string; display_name: string }>(
      "SELECT r.link_id, u.display_name FROM share_link_recipients r JOIN users u ON u.id = r.user_id WHERE r.link_id = ANY($1::uuid[]) ORDER BY u.display_name",
      [ids],
    ),
    db.query<{ link_id: string; user_display_name: string; started_at: Date; finished_at: Date | null; client_ip: string | null; state: LinkDownloadReceipt["state"] }>(
      "SELECT link_id, user_display_name, started_at, finished_at, client_ip, state FROM exchange_downloads WHERE link_id = ANY($1::uuid[]) ORDER BY started_at DESC",
      [ids],
    ),
  ]);
  return rows.map((row) => {
    const status = linkStatus(linkStateOf(row), now);
    return {
      id: row.id,
      status,
      createdAt: row.created_at.toISOString(),
      expiresAt: row.expires_at.toISOString(),
      maxDownloads: row.max_downloads,
      completedDownloads: row.completed_downloads,
      namedRecipients: names.filter((name) => name.link_id === row.id).map((name) => name.display_name),
      downloads: downloads
        .filter((download) => download.link_id === row.id)
        .map((download) => ({ who: download.user_display_name, at: (download.finished_at ?? download.started_at).toISOString(), from: download.client_ip, state: download.state })),
      expiringUnused: status === "active" && row.completed_downloads === 0 && row.expires_at.getTime() - now.getTime() < EXPIRY_WARNING_MS,
    };
  });
}
