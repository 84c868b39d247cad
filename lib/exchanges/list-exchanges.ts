import "server-only";
import { recordAuditEvent } from "../audit";
import { auditActorOf, auditClientOf, type Actor } from "../auth";
import { awsFailureToAppError, type KmsSession } from "../aws";
import { getOrganization } from "../config";
import { getDatabase } from "../db";
import { errorCodesOf, kmsSessionFor, requestIdsOf } from "./acting-role";
import { authorizedExchange } from "./authorized-exchange";
import { partiesOf, type ExchangeRow } from "./exchange-rows";
import type { ExchangeView } from "./exchange-view";
import { openMetadata, type ExchangeMetadata } from "./metadata";
import { AppError } from "../errors/app-error";

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

function toView(actor: Actor, row: ExchangeRow, metadata: ExchangeMetadata | null, metadataError: string | null): ExchangeView {
  return {
    id: row.id,
    direction: row.sender_org === actor.orgSlug ? "sent" : "received",
    senderOrg: row.sender_org,
    senderOrgName: getOrganization(row.sender_org)?.displayName ?? row.sender_org,
    senderName: row.sender_display_name,
    recipientOrg: row.recipient_org,
    recipientOrgName: getOrganization(row.recipient_org)?.displayName ?? row.recipient_org,
    status: row.status,
    fileName: metadata?.fileName ?? null,
    contentType: metadata?.contentType ?? null,
    message: metadata?.message ?? null,
    size: row.size ?? row.declared_size,
    sha256: row.sha256,
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
    sessionError = awsFailureToAppError(error).userMessage;
  }
  const views = await mapLimited(rows, DECRYPT_CONCURRENCY, async (row) => {
    if (!session) return toView(actor, row, null, sessionError);
    try {
      return toView(actor, row, await openMetadata(session, partiesOf(row), row.metadata_ciphertext), null);
    } catch (error) {
      return toView(actor, row, null, awsFailureToAppError(error, errorCodesOf(session)).userMessage);
    }
  });
  const kms = session;
  if (kms) {
    const db = await getDatabase();
    await db.transaction((tx) =>
      recordAuditEvent(tx, {
        action: "exchange.metadata_decrypted",
        outcome: views.some((view) => view.metadataError) ? "failed" : "success",
        actor: auditActorOf(actor),
        client: auditClientOf(actor),
        target: rows.length === 1 && rows[0] ? { type: "exchange", id: rows[0].id } : undefined,
        partyOrgs: [...new Set(rows.flatMap((row) => [row.sender_org, row.recipient_org]))],
        aws: { requestIds: requestIdsOf(kms), roleSessionArn: kms.roleSessionArn },
        details: { exchanges: rows.length },
      }),
    );
  }
  return views;
}

export async function listInbox(actor: Actor): Promise<ExchangeView[]> {
  const db = await getDatabase();
  const rows = await db.query<ExchangeRow>(
    "SELECT * FROM exchanges WHERE recipient_org = $1 AND status = 'available' ORDER BY completed_at DESC LIMIT $2",
    [actor.orgSlug, PAGE_SIZE],
  );
  return viewsOf(actor, rows);
}

export async function listSent(actor: Actor): Promise<ExchangeView[]> {
  const db = await getDatabase();
  const rows = await db.query<ExchangeRow>("SELECT * FROM exchanges WHERE sender_org = $1 AND status = 'available' ORDER BY created_at DESC LIMIT $2", [
    actor.orgSlug,
    PAGE_SIZE,
  ]);
  return viewsOf(actor, rows);
}

export async function getExchange(actor: Actor, exchangeId: string): Promise<ExchangeView> {
  const db = await getDatabase();
  const row = await authorizedExchange(db, actor, exchangeId, "view");
  const [view] = await viewsOf(actor, [row]);
  if (!view) throw new AppError("internal", "exchange view missing");
  return view;
}
