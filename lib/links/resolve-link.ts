import "server-only";
import { recordAuditEvent } from "../audit";
import { auditActorOf, auditClientOf, type Actor } from "../auth";
import { awsFailureToAppError, type KmsSession } from "../aws";
import { getOrganization } from "../config";
import { getDatabase } from "../db";
import { AppError, isAppError } from "../errors/app-error";
import { errorCodesOf, kmsSessionFor, requestIdsOf } from "../exchanges/acting-role";
import { findExchange, partiesOf } from "../exchanges/exchange-rows";
import { openMetadata } from "../exchanges/metadata";
import { authorizedLink } from "./authorized-link";
import { openLinkNote } from "./link-note";

/** What an allowed recipient sees on the link page. */
export interface LinkPageView {
  senderOrgName: string;
  senderName: string;
  fileName: string;
  size: number;
  /** Null for a parted upload (each part's hash is in its manifest instead). */
  sha256: string | null;
  expiresAt: string;
  /** null: no limit. */
  downloadsLeft: number | null;
  note: string | null;
}

/** The link page's content, decrypted with the recipient's own role; refusals throw (see `authorizedLink`). */
export async function resolveLink(actor: Actor, token: string): Promise<LinkPageView> {
  const link = await authorizedLink(actor, token, "view");
  const db = await getDatabase();
  const exchange = await findExchange(db, link.exchange_id);
  if (!exchange || exchange.size === null) throw new AppError("not_found", "linked exchange has no content");
  let session: KmsSession | undefined;
  try {
    session = await kmsSessionFor(actor);
    const metadata = await openMetadata(session, partiesOf(exchange), exchange.metadata_ciphertext);
    const note = link.note_ciphertext ? await openLinkNote(session, partiesOf(exchange), link.id, link.note_ciphertext) : null;
    const kms = session;
    await db.transaction((tx) =>
      recordAuditEvent(tx, {
        action: "link.accessed",
        outcome: "success",
        actor: auditActorOf(actor),
        client: auditClientOf(actor),
        target: { type: "link", id: link.id },
        partyOrgs: [link.sender_org, link.recipient_org],
        aws: { requestIds: requestIdsOf(kms), roleSessionArn: kms.roleSessionArn },
        details: { exchangeId: exchange.id },
      }),
    );
    return {
      senderOrgName: getOrganization(exchange.sender_org)?.displayName ?? exchange.sender_org,
      senderName: exchange.sender_display_name,
      fileName: metadata.fileName,
      size: exchange.size,
      sha256: exchange.sha256,
      expiresAt: link.expires_at.toISOString(),
      downloadsLeft: link.max_downloads === null ? null : Math.max(0, link.max_downloads - link.completed_downloads),
      note,
    };
  } catch (error) {
    throw isAppError(error) ? error : awsFailureToAppError(error, errorCodesOf(session));
  }
}
