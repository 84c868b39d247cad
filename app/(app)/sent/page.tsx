import type { Metadata } from "next";
import Link from "next/link";
import { capabilitiesOf } from "@/lib/capabilities";
import { listSent } from "@/lib/exchanges";
import { ExchangeTable } from "@/components/exchange-table";
import { actorOrSignIn, organizationName } from "../../_lib/page-actor";

export const metadata: Metadata = { title: "Sent" };

export default async function SentPage() {
  const actor = await actorOrSignIn("/sent");
  const exchanges = await listSent(actor);
  const unreadable = exchanges.filter((exchange) => exchange.metadataError).length;
  const org = organizationName(actor.orgSlug);
  const { sendingRefusal } = capabilitiesOf(actor);

  return (
    <>
      <div className="page-heading page-heading-row">
        <div>
          <h1>Sent</h1>
          <p className="muted">Files that people at {org} sent to partner organizations.</p>
        </div>
        {sendingRefusal === null ? (
          <Link href="/upload" className="button button-primary">
            Upload files
          </Link>
        ) : null}
      </div>
      {unreadable > 0 ? (
        <p className="notice notice-warning" data-testid="metadata-warning">
          The names of {unreadable === 1 ? "one file" : `${unreadable} files`} could not be decrypted just now. The files are safe; reload the page in a moment to try again.
        </p>
      ) : null}
      {exchanges.length === 0 ? (
        <div className="empty-state" data-testid="sent-empty">
          <h2>Nothing sent yet</h2>
          {sendingRefusal !== null ? (
            <p>When people at {org} send files, they are listed here for review.</p>
          ) : (
            <>
              <p>Files you and your colleagues send are listed here, with their size and SHA-256 so that both sides can check them.</p>
              <p>
                <Link href="/upload" className="button button-primary">
                  Upload your first file
                </Link>
              </p>
            </>
          )}
        </div>
      ) : (
        <ExchangeTable exchanges={exchanges} direction="sent" caption={`Files sent by ${org}, newest first`} />
      )}
      {exchanges.length > 0 ? (
        <p className="muted small">
          Only the recipient organization can decrypt and download these files; {org} can see their details but not their content.
        </p>
      ) : null}
    </>
  );
}
