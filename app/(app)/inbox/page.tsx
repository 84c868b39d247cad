import type { Metadata } from "next";
import Link from "next/link";
import { listInbox } from "@/lib/exchanges";
import { senderNotifications } from "@/lib/notifications";
import { ExchangeTable } from "@/components/exchange-table";
import { InboxSeen } from "@/components/inbox-seen";
import { formatDate } from "@/components/format";
import { actorOrSignIn, organizationName } from "../../_lib/page-actor";
import { markInboxSeenAction } from "./inbox-actions";

export const metadata: Metadata = { title: "Inbox" };

export default async function InboxPage() {
  const actor = await actorOrSignIn("/inbox");
  const [exchanges, notifications] = await Promise.all([listInbox(actor), senderNotifications(actor)]);
  const unreadable = exchanges.filter((exchange) => exchange.metadataError).length;

  return (
    <>
      <InboxSeen action={markInboxSeenAction} />
      <div className="page-heading">
        <h1>Inbox</h1>
        <p className="muted">Files that partner organizations sent to {organizationName(actor.orgSlug)}.</p>
      </div>
      {notifications.length > 0 ? (
        <section className="card" aria-labelledby="activity-heading" data-testid="link-activity">
          <h2 id="activity-heading">Your share links</h2>
          <ul className="stack-small">
            {notifications.map((notification) => (
              <li key={`${notification.kind}-${notification.exchangeId}-${notification.at}`}>
                {notification.kind === "first_download" ? `${notification.who} downloaded a file you shared` : "A link you shared expires soon and nobody has used it yet"}
                {" · "}
                <time dateTime={notification.at}>{formatDate(notification.at)}</time> · <Link href={`/exchanges/${notification.exchangeId}`}>See the links</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {unreadable > 0 ? (
        <p className="notice notice-warning" data-testid="metadata-warning">
          The names of {unreadable === 1 ? "one file" : `${unreadable} files`} could not be decrypted just now. The files are safe; reload the page in a moment to try again.
        </p>
      ) : null}
      {exchanges.length === 0 ? (
        <div className="empty-state" data-testid="inbox-empty">
          <h2>Nothing received yet</h2>
          <p>When someone at a partner organization sends a file to {organizationName(actor.orgSlug)}, it appears here, and you can download it after confirming it is you.</p>
          <p>
            Expecting a file? Ask the sender to upload it in Keybridge with <strong>{organizationName(actor.orgSlug)}</strong> as the recipient.
          </p>
        </div>
      ) : (
        <ExchangeTable exchanges={exchanges} direction="received" caption={`Files received by ${organizationName(actor.orgSlug)}, newest first`} />
      )}
      {exchanges.length > 0 ? (
        <p className="muted small">
          Showing the most recent {exchanges.length} {exchanges.length === 1 ? "file" : "files"}. Open a file to see its details and download it. Want to send something back? <Link href="/upload">Upload a file</Link>.
        </p>
      ) : null}
    </>
  );
}
