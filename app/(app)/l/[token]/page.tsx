import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { isAppError, type AppErrorCode } from "@/lib/errors/app-error";
import { resolveLink, type LinkPageView } from "@/lib/links";
import { formatBytes, formatDate, formatExactBytes } from "@/components/format";
import { Sha256Check } from "@/components/sha256-check";
import { DownloadOffer } from "../../../_lib/download-offer";
import { actorOrSignIn } from "../../../_lib/page-actor";

export const metadata: Metadata = { title: "Shared file" };

const UNAVAILABLE: Partial<Record<AppErrorCode, { title: string; testId: string }>> = {
  link_expired: { title: "This link has expired", testId: "link-expired" },
  link_used_up: { title: "This link has been used up", testId: "link-used-up" },
  link_revoked: { title: "This link was revoked", testId: "link-revoked" },
  rate_limited: { title: "Too many links tried", testId: "link-rate-limited" },
};

export default async function SharedLinkPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const actor = await actorOrSignIn(`/l/${encodeURIComponent(token)}`);

  let link: LinkPageView;
  try {
    link = await resolveLink(actor, token);
  } catch (error) {
    if (!isAppError(error)) throw error;
    if (error.code === "not_found") notFound();
    const unavailable = UNAVAILABLE[error.code];
    if (!unavailable) throw error;
    // The file's name is not shown here: the person may be allowed the link but no longer its content.
    return (
      <div className="card" data-testid={unavailable.testId}>
        <h1>{unavailable.title}</h1>
        <p>{error.userMessage}</p>
        <p>
          <Link href="/inbox">Go to your inbox</Link>
        </p>
      </div>
    );
  }

  return (
    <>
      <div className="page-heading">
        <h1 className="file-title" data-testid="link-file-name">
          {link.fileName}
        </h1>
        <p className="muted">
          Shared with you by {link.senderName} at {link.senderOrgName}
        </p>
      </div>

      <section className="card" aria-labelledby="link-download-heading">
        <h2 id="link-download-heading">Download</h2>
        <DownloadOffer
          allowance={link.download}
          href={`/api/links/${encodeURIComponent(token)}/content`}
          fileName={link.fileName}
          size={link.size}
          senderName={link.senderName}
          downloadTestId="link-download"
          auditorNote="Auditors can see shared files but cannot download their content."
        />
      </section>

      <section className="card" aria-labelledby="link-details-heading">
        <h2 id="link-details-heading">Details</h2>
        <dl className="details">
          <dt>From</dt>
          <dd>
            {link.senderName}, {link.senderOrgName}
          </dd>
          <dt>Size</dt>
          <dd>
            {formatBytes(link.size)} <span className="muted">({formatExactBytes(link.size)})</span>
          </dd>
          {link.sha256 ? (
            <>
              <dt>SHA-256</dt>
              <dd>
                <Sha256Check sha256={link.sha256} fileName={link.fileName} testId="link-sha256" />
              </dd>
            </>
          ) : null}
          <dt>Link expires</dt>
          <dd>
            <time dateTime={link.expiresAt}>{formatDate(link.expiresAt)}</time>
          </dd>
          <dt>Downloads left</dt>
          <dd data-testid="link-downloads-left">{link.download.downloadsLeft === null ? "No limit" : link.download.downloadsLeft}</dd>
        </dl>
      </section>

      {link.note ? (
        <section className="card" aria-labelledby="link-note-heading">
          <h2 id="link-note-heading">Note from the sender</h2>
          <p className="message-text" data-testid="link-note">
            {link.note}
          </p>
        </section>
      ) : null}
    </>
  );
}
