import "server-only";
import { recordAuditEvent } from "../audit";
import { type Actor } from "../auth";
import { getOrganization } from "../config";
import { getDatabase } from "../db";
import { AppError } from "../errors/app-error";
import { kmsSessionFor } from "../exchanges/acting-role";
import { decideExchangeAccess } from "../exchanges/access-policy";
import { downloadAllowance, type DownloadAllowance } from "../exchanges/download-capability";
import { accessTargetOf, findExchange, partiesOf } from "../exchanges/exchange-rows";
import { integrityFailure } from "../errors/integrity-failure";
import { sealedFactsOf, sealedFactsProblem } from "../exchanges/sealed-facts";
import { openMetadata } from "../exchanges/metadata";
import { authorizedLink } from "./authorized-link";
import { openLinkNote } from "./link-note";
import { personEvent } from "../exchanges/person-event";

/** What an allowed recipient sees on the link page. */
export interface LinkPageView {
  senderOrgName: string;
  senderName: string;
  fileName: string;
  size: number;
  /** As sealed by the sender; null only for exchanges stored before it was recorded. */
  sha256: string | null;
  expiresAt: string;
  /** What this person may do with the content, with downloads left on the link and the exchange together. */
  download: DownloadAllowance;
  note: string | null;
}

/** The link page's content, decrypted with the recipient's own role; refusals throw (see `authorizedLink`). */
export async function resolveLink(actor: Actor, token: string): Promise<LinkPageView> {
  const link = await authorizedLink(actor, token, "view");
  const db = await getDatabase();
  const exchange = await findExchange(db, link.exchange_id);
  if (!exchange || exchange.size === null) throw new AppError("not_found", "linked exchange has no content");
  // A link narrows the exchange's own decision: someone it does not reach is told the link does not exist.
  const view = decideExchangeAccess({ userId: actor.userId, orgSlug: actor.orgSlug, role: actor.role, hasFreshMfa: false }, "view", accessTargetOf(exchange));
  if (!view.allowed) throw new AppError("not_found", view.reason);
  const session = await kmsSessionFor(actor);
  const metadata = await openMetadata(session, partiesOf(exchange), exchange.metadata_ciphertext);
  const factsProblem = sealedFactsProblem(exchange, metadata);
  if (factsProblem) throw integrityFailure(factsProblem, `exchange ${exchange.id}: the database disagrees with the sealed metadata`);
  const facts = sealedFactsOf(exchange, metadata);
  const note = link.note_ciphertext ? await openLinkNote(session, partiesOf(exchange), link.id, link.note_ciphertext) : null;
  await db.transaction((tx) =>
    recordAuditEvent(tx, personEvent(actor, "link.accessed", { type: "link", id: link.id }, [link.sender_org, link.recipient_org], { session, details: { exchangeId: exchange.id } })),
  );
  return {
    senderOrgName: getOrganization(exchange.sender_org)?.displayName ?? exchange.sender_org,
    senderName: facts.senderName,
    fileName: metadata.fileName,
    size: facts.size,
    sha256: facts.sha256,
    expiresAt: link.expires_at.toISOString(),
    download: downloadAllowance(actor, exchange, link.max_downloads === null ? null : Math.max(0, link.max_downloads - link.completed_downloads)),
    note,
  };
}
