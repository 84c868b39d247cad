import "server-only";
import { recordAuditEvent } from "../audit";
import { type Actor } from "../auth";
import type { KmsSession } from "../aws";
import { getOrganization } from "../config";
import { getDatabase } from "../db";
import { kmsSessionFor } from "./acting-role";
import { authorizedExchange } from "./authorized-exchange";
import { ExchangeRowSchema, partiesOf, type ExchangeRow } from "./exchange-rows";
import type { ExchangeView } from "./exchange-view";
import { openMetadata, type ExchangeMetadata } from "./metadata";
import { sealedFactsOf, sealedFactsProblem } from "./sealed-facts";
import { downloadAllowance, type DownloadAllowance } from "./download-capability";
import { mayManageLinks } from "../links/link-access-policy";
import { asAppError, AppError } from "../errors/app-error";
import { expiryOf } from "./parts/upload-status";
import type { IncompleteUpload } from "../contract/incomplete-upload";
import { personEvent } from "./person-event";

const PAGE_SIZE = 100;
const DECRYPT_CONCURRENCY = 8;

async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  });
  await Promise.all(runners);
  return results;
}

/** Shown instead of the facts when the database disagrees with what the sender sealed. */
const FACTS_MISMATCH = "The stored record of this file does not match what the sender sealed, so it is not shown and will not be sent. Report this to your administrator.";

function toView(actor: Actor, row: ExchangeRow, opened: ExchangeMetadata | null, openError: string | null): ExchangeView {
  const mismatch = opened ? sealedFactsProblem(row, opened) : null;
  const metadata = mismatch ? null : opened;
  const facts = metadata ? sealedFactsOf(row, metadata) : null;
  const metadataError = mismatch ? FACTS_MISMATCH : openError;
  return {
    id: row.id,
    direction: row.sender_org === actor.orgSlug ? "sent" : "received",
    senderOrg: row.sender_org,
    senderOrgName: getOrganization(row.sender_org)?.displayName ?? row.sender_org,
    // A name the database disagrees with the seal about is shown as nobody's.
    senderName: facts?.senderName ?? (mismatch ? "(unverified sender)" : row.sender_display_name),
    recipientOrg: row.recipient_org,
    recipientOrgName: getOrganization(row.recipient_org)?.displayName ?? row.recipient_org,
    status: row.status,
    fileName: metadata?.fileName ?? null,
    contentType: metadata?.contentType ?? null,
    message: metadata?.message ?? null,
    size: facts?.size ?? Number(row.size ?? row.declared_size),
    sha256: facts?.sha256 ?? null,
    namedRecipientIds: row.recipient_user_ids,
    maxDownloads: row.max_downloads,
    completedDownloads: row.completed_downloads,
    createdAt: row.created_at.toISOString(),
    completedAt: row.completed_at?.toISOString() ?? null,
    metadataError,
  };
}

/** Decrypts each row's metadata with the viewer's own organization's role and records that it did. */
async function viewsOf(actor: Actor, rows: ExchangeRow[]): Promise<ExchangeView[]> {
  if (rows.length === 0) return [];
  let session: KmsSession | undefined;
  let sessionError: string | null = null;
  try {
    session = await kmsSessionFor(actor);
  } catch (error) {
    sessionError = asAppError(error).userMessage;
  }
  const views = await mapLimited(rows, DECRYPT_CONCURRENCY, async (row) => {
    if (!session) return toView(actor, row, null, sessionError);
    try {
      return toView(actor, row, await openMetadata(session, partiesOf(row), row.metadata_ciphertext), null);
    } catch (error) {
      return toView(actor, row, null, asAppError(error).userMessage);
    }
  });
  const kms = session;
  if (kms) {
    const db = await getDatabase();
    await db.transaction((tx) =>
      recordAuditEvent(
        tx,
        personEvent(actor, "exchange.metadata_decrypted", rows.length === 1 && rows[0] ? { type: "exchange", id: rows[0].id } : undefined, [...new Set(rows.flatMap((row) => [row.sender_org, row.recipient_org]))], {
          outcome: views.some((view) => view.metadataError) ? "failed" : "success",
          session: kms,
          details: { exchanges: rows.length },
        }),
      ),
    );
  }
  return views;
}

export async function listInbox(actor: Actor): Promise<ExchangeView[]> {
  const db = await getDatabase();
  const rows = await db.queryRows(ExchangeRowSchema, 
    // The access policy's "view" rule for a recipient organization, as a filter: what is addressed to named people
    // is listed only for them (and for the organization's auditors, who oversee it).
    `SELECT * FROM exchanges WHERE recipient_org = $1 AND status = 'available' AND ($3 OR recipient_user_ids IS NULL OR $4 = ANY(recipient_user_ids))
      ORDER BY completed_at DESC LIMIT $2`,
    [actor.orgSlug, PAGE_SIZE, actor.role === "auditor", actor.userId],
  );
  return viewsOf(actor, rows);
}

export async function listSent(actor: Actor): Promise<ExchangeView[]> {
  const db = await getDatabase();
  const rows = await db.queryRows(ExchangeRowSchema, "SELECT * FROM exchanges WHERE sender_org = $1 AND status = 'available' ORDER BY created_at DESC LIMIT $2", [
    actor.orgSlug,
    PAGE_SIZE,
  ]);
  return viewsOf(actor, rows);
}

/** One exchange as its page shows it: the view, the names of the people it is addressed to, and what this person may do. */
export interface ExchangeDetail extends ExchangeView {
  /** Null: everyone at the recipient organization. */
  namedRecipients: string[] | null;
  download: DownloadAllowance;
  /** What this person may do with the exchange's share links, from the link policy. */
  links: { list: boolean; create: boolean; revoke: boolean };
}

export async function getExchange(actor: Actor, exchangeId: string): Promise<ExchangeDetail> {
  const db = await getDatabase();
  const row = await authorizedExchange(db, actor, exchangeId, "view");
  const [view] = await viewsOf(actor, [row]);
  if (!view) throw new AppError("internal", "exchange view missing");
  const namedRecipients = row.recipient_user_ids
    ? (await db.query<{ display_name: string }>("SELECT display_name FROM users WHERE id = ANY($1::uuid[]) ORDER BY display_name", [row.recipient_user_ids])).map((user) => user.display_name)
    : null;
  const linkTarget = { senderOrg: row.sender_org, status: row.status };
  const links = { list: mayManageLinks(actor, linkTarget, "list"), create: mayManageLinks(actor, linkTarget, "create"), revoke: mayManageLinks(actor, linkTarget, "revoke") };
  return { ...view, namedRecipients, download: downloadAllowance(actor, row), links };
}

/** The person's own parted uploads that have not finished: what the upload page offers to resume or discard. */
export async function listIncompleteUploads(actor: Actor): Promise<IncompleteUpload[]> {
  const db = await getDatabase();
  const rows = await db.query<ExchangeRow & { stored_parts: number[] | null; stored_bytes: number | null; last_stored_at: Date | null }>(
    `SELECT e.*, array_agg(p.part_number ORDER BY p.part_number) FILTER (WHERE p.part_number IS NOT NULL) AS stored_parts,
            sum(p.plaintext_bytes) AS stored_bytes, max(p.stored_at) AS last_stored_at
       FROM exchanges e LEFT JOIN upload_parts p ON p.exchange_id = e.id
      WHERE e.sender_user_id = $1 AND e.status = 'uploading' AND e.part_count IS NOT NULL
      GROUP BY e.id ORDER BY e.created_at DESC LIMIT $2`,
    [actor.userId, PAGE_SIZE],
  );
  const views = await viewsOf(actor, rows);
  return rows.map((row, index) => ({
    exchangeId: row.id,
    fileName: views[index]?.fileName ?? "(name unavailable)",
    size: Number(row.declared_size),
    recipientOrg: row.recipient_org,
    recipientOrgName: views[index]?.recipientOrgName ?? row.recipient_org,
    partBytes: Number(row.part_bytes),
    partCount: Number(row.part_count),
    storedParts: (row.stored_parts ?? []).map(Number),
    storedBytes: Number(row.stored_bytes ?? 0),
    startedAt: row.created_at.toISOString(),
    expiresAt: expiryOf(row.created_at, row.last_stored_at).toISOString(),
  }));
}
