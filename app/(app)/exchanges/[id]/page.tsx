import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { isAppError } from "@/lib/errors/app-error";
import { getExchange, type ExchangeDetail, type ExchangeView } from "@/lib/exchanges";
import { listLinks, recipientChoices } from "@/lib/links";
import { formatBytes, formatDate, formatExactBytes } from "@/components/format";
import { CreateLinkForm } from "@/components/links/create-link-form";
import { LinkList } from "@/components/links/link-list";
import { Sha256Check } from "@/components/sha256-check";
import { DownloadOffer } from "../../../_lib/download-offer";
import { actorOrSignIn } from "../../../_lib/page-actor";
import { createLinkAction, revokeLinkAction } from "./link-actions";

export const metadata: Metadata = { title: "Exchange" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const STATUS_LABELS: Record<ExchangeView["status"], string> = {
  uploading: "Waiting for the upload",
  receiving: "Uploading",
  available: "Delivered",
};

export default async function ExchangePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await actorOrSignIn(`/exchanges/${encodeURIComponent(id)}`);
  if (!UUID.test(id)) notFound();

  let exchange: ExchangeDetail;
  try {
    exchange = await getExchange(actor, id);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }

  const received = exchange.direction === "received";
  const [links, people] = await Promise.all([exchange.links.list ? listLinks(actor, exchange.id) : [], exchange.links.create ? recipientChoices(actor, exchange.id) : []]);
  const title = exchange.fileName ?? "File name unavailable";
  const audience = exchange.namedRecipients ? `${exchange.namedRecipients.join(", ")} at ${exchange.recipientOrgName}` : `people at ${exchange.recipientOrgName}`;
  const downloadLimit =
    exchange.maxDownloads === null ? "No limit" : `${exchange.completedDownloads} of ${exchange.maxDownloads} used, on every route (Inbox and share links together)`;

  return (
    <>
      <p className="breadcrumb">
        <Link href={received ? "/inbox" : "/sent"}>← {received ? "Inbox" : "Sent"}</Link>
      </p>
      <div className="page-heading">
        <h1 className="file-title" data-testid="exchange-file-name">
          {title}
        </h1>
        <p className="muted">
          {received ? `Sent to ${exchange.recipientOrgName} by ${exchange.senderName} at ${exchange.senderOrgName}` : `Sent to ${exchange.recipientOrgName} by ${exchange.senderName}`}
        </p>
      </div>

      {exchange.metadataError ? (
        <p className="notice notice-warning" data-testid="metadata-error">
          {exchange.metadataError} The file name and message could not be shown; the file itself is unaffected.
        </p>
      ) : null}

      <section className="card" aria-labelledby="download-heading">
        <h2 id="download-heading">{received ? "Download" : "Content"}</h2>
        {!received ? (
          <p data-testid="sender-note">
            Only {audience} can decrypt and download this file. Its content is encrypted with a key that {exchange.senderOrgName}&apos;s role can use to encrypt but not to decrypt, so Keybridge
            cannot show it to you. The details below are what both sides see.
          </p>
        ) : exchange.status !== "available" ? (
          <p>This file is still being uploaded. Reload the page in a moment.</p>
        ) : (
          <DownloadOffer
            allowance={exchange.download}
            href={`/api/exchanges/${exchange.id}/content`}
            fileName={exchange.fileName}
            size={exchange.size}
            senderName={exchange.senderName}
            downloadTestId="download-link"
            auditorNote="Auditors can review exchanges but cannot download their content."
          />
        )}
      </section>

      <section className="card" aria-labelledby="details-heading">
        <h2 id="details-heading">Details</h2>
        <dl className="details">
          <dt>File name</dt>
          <dd>{exchange.fileName ?? <span className="muted">Unavailable</span>}</dd>
          <dt>From</dt>
          <dd>
            {exchange.senderName}, {exchange.senderOrgName}
          </dd>
          <dt>To</dt>
          <dd data-testid="exchange-audience">{exchange.namedRecipients ? `${exchange.namedRecipients.join(", ")} (${exchange.recipientOrgName})` : `Everyone at ${exchange.recipientOrgName}`}</dd>
          <dt>Downloads</dt>
          <dd data-testid="exchange-download-limit">{downloadLimit}</dd>
          <dt>Size</dt>
          <dd>
            {formatBytes(exchange.size)} <span className="muted">({formatExactBytes(exchange.size)})</span>
          </dd>
          <dt>SHA-256</dt>
          <dd>
            {exchange.sha256 ? (
              <Sha256Check sha256={exchange.sha256} fileName={exchange.fileName} testId="exchange-sha256" />
            ) : (
              <span className="muted">{exchange.status === "available" ? "Not recorded for files sent before digests were sealed" : "Known once the upload finishes"}</span>
            )}
          </dd>
          <dt>Status</dt>
          <dd>{STATUS_LABELS[exchange.status]}</dd>
          <dt>Started</dt>
          <dd>
            <time dateTime={exchange.createdAt}>{formatDate(exchange.createdAt)}</time>
          </dd>
          {exchange.completedAt ? (
            <>
              <dt>Delivered</dt>
              <dd>
                <time dateTime={exchange.completedAt}>{formatDate(exchange.completedAt)}</time>
              </dd>
            </>
          ) : null}
          {exchange.contentType ? (
            <>
              <dt>Type</dt>
              <dd>{exchange.contentType}</dd>
            </>
          ) : null}
        </dl>
      </section>

      {exchange.links.list ? (
        <section className="card" aria-labelledby="links-heading" data-testid="share-links">
          <h2 id="links-heading">Share links</h2>
          <p className="muted">
            A link lets {audience} open this file after signing in. A link can only narrow who may download and how often, never widen it: its download limit counts together with the
            file&apos;s own, and people the file is not addressed to cannot use it.
          </p>
          {exchange.links.create ? <CreateLinkForm action={createLinkAction} exchangeId={exchange.id} recipientOrgName={exchange.recipientOrgName} people={people} /> : null}
          <LinkList exchangeId={exchange.id} links={links} recipientOrgName={exchange.recipientOrgName} revokeAction={revokeLinkAction} canRevoke={exchange.links.revoke} />
        </section>
      ) : null}

      <section className="card" aria-labelledby="message-heading">
        <h2 id="message-heading">Message</h2>
        {exchange.message ? (
          <p className="message-text" data-testid="exchange-message">
            {exchange.message}
          </p>
        ) : (
          <p className="muted">{exchange.metadataError ? "The message could not be decrypted." : "No message was added."}</p>
        )}
      </section>
    </>
  );
}
