import { formatDate } from "../format";
import type { FormAction } from "../types";
import { RevokeLinkButton } from "./revoke-link-button";

export interface LinkSummary {
  id: string;
  status: "active" | "expired" | "used_up" | "revoked";
  createdAt: string;
  expiresAt: string;
  maxDownloads: number | null;
  completedDownloads: number;
  namedRecipients: string[];
  downloads: Array<{ who: string; at: string; from: string | null; state: "in_flight" | "completed" | "failed" | "abandoned" }>;
  expiringUnused: boolean;
}

const STATUS_LABELS: Record<LinkSummary["status"], string> = { active: "Active", expired: "Expired", used_up: "Used up", revoked: "Revoked" };
const DOWNLOAD_LABELS: Record<LinkSummary["downloads"][number]["state"], string> = {
  in_flight: "downloading",
  completed: "downloaded",
  failed: "stopped before the end",
  abandoned: "stopped before the end",
};

/** The sender's links, each with its status and download receipts (who, when, from where). */
export function LinkList({ exchangeId, links, recipientOrgName, revokeAction, canRevoke }: { exchangeId: string; links: LinkSummary[]; recipientOrgName: string; revokeAction: FormAction<{ linkId: string }>; canRevoke: boolean }) {
  if (links.length === 0) return <p className="muted">No links yet.</p>;
  return (
    <ul className="stack" data-testid="link-list">
      {links.map((link) => (
        <li key={link.id} className="card" data-testid="link-item" data-link-status={link.status}>
          <p>
            <strong data-testid="link-status">{STATUS_LABELS[link.status]}</strong>
            {" · "}
            {link.namedRecipients.length > 0 ? `For ${link.namedRecipients.join(", ")}` : `For everyone at ${recipientOrgName}`}
            {" · "}
            {link.maxDownloads === null ? `${link.completedDownloads} downloads` : `${link.completedDownloads} of ${link.maxDownloads} downloads`}
            {" · "}
            {link.status === "expired" ? "expired" : "expires"} <time dateTime={link.expiresAt}>{formatDate(link.expiresAt)}</time>
          </p>
          {link.expiringUnused ? (
            <p className="notice notice-warning" data-testid="link-expiring-unused">
              This link expires within a day and nobody has downloaded the file yet.
            </p>
          ) : null}
          {link.downloads.length > 0 ? (
            <ul className="small" data-testid="link-downloads">
              {link.downloads.map((download) => (
                <li key={`${download.who}-${download.at}`}>
                  {download.who} {DOWNLOAD_LABELS[download.state]} <time dateTime={download.at}>{formatDate(download.at)}</time>
                  {download.from ? <span className="muted"> from {download.from}</span> : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted small">Not downloaded yet.</p>
          )}
          {canRevoke && link.status === "active" ? <RevokeLinkButton action={revokeAction} exchangeId={exchangeId} linkId={link.id} /> : null}
        </li>
      ))}
    </ul>
  );
}
