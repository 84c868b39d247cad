import type { Metadata } from "next";
import Link from "next/link";
import { listInbox } from "@/lib/exchanges";
import { ExchangeTable } from "@/components/exchange-table";
import { actorOrSignIn, organizationName } from "../../_lib/page-actor";

export const metadata: Metadata = { title: "Inbox" };

export default async function InboxPage() {
  const actor = await actorOrSignIn("/inbox");
  const exchanges = await listInbox(actor);
  const unreadable = exchanges.filter((exchange) => exchange.metadataError).length;

  return (
    <>
      <div className="page-heading">
        <h1>Inbox</h1>
        <p className="muted">Files that partner organizations sent to {organizationName(actor.orgSlug)}.</p>
      </div>
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
