import "server-only";
import type { Actor } from "../auth/actor";
import { getConfig } from "../config";
import { getDatabase } from "../db";
import { decideExchangeAccess } from "../exchanges/access-policy";
import { accessTargetOf, findExchange } from "../exchanges/exchange-rows";
import { auditScopeOf, type AuditScope } from "./audit-access";
import type { AuditEventView } from "./audit-event-view";
import type { AuditFilters } from "./audit-filters";
import { auditCheckpointKey } from "./checkpoints";
import { exchangeAuditEvents, listAuditEvents, type AuditPage } from "./query-events";
import { verifyAuditChain, type ChainVerification } from "./verify-chain";

/** One page of the events `actor` may see; `exchangesNamedLike` are exchanges whose file name matched the search. */
export async function listAuditPage(actor: Actor, filters: AuditFilters, exchangesNamedLike: readonly string[] = []): Promise<AuditPage> {
  return listAuditEvents(await getDatabase(), { scope: auditScopeOf(actor), filters, exchangesNamedLike });
}

/**
 * An exchange's events, only if the viewer may see the exchange itself (the access policy's "view": the recipient
 * organization learns of an upload once it is available). When the row is gone (a cancelled or swept upload, which
 * was never available), only what the viewer's own organization did is shown.
 */
export async function exchangeTimeline(actor: Actor, exchangeId: string): Promise<AuditEventView[]> {
  const db = await getDatabase();
  const events = await exchangeAuditEvents(db, auditScopeOf(actor), exchangeId);
  if (events.length === 0) return events;
  const exchange = await findExchange(db, exchangeId);
  if (!exchange) return events.filter((event) => event.actorOrg === actor.orgSlug);
  const decision = decideExchangeAccess({ userId: actor.userId, orgSlug: actor.orgSlug, role: actor.role, hasFreshMfa: false }, "view", accessTargetOf(exchange));
  return decision.allowed ? events : [];
}

/**
 * The badge: verifies the events since the newest signed checkpoint (so its cost follows new events, not the whole
 * history). Viewing writes nothing: the maintenance sweep signs checkpoints (`signAuditCheckpoint`), and
 * `npm run audit:verify` checks everything from the first event.
 */
export async function auditChainStatus(): Promise<ChainVerification> {
  const db = await getDatabase();
  return verifyAuditChain(db, { checkpointKey: auditCheckpointKey(getConfig().authSecret), incremental: true });
}

/** Verifies what is new since the last checkpoint and, if it holds, signs a checkpoint at the head (the sweep's job). */
export async function signAuditCheckpoint(): Promise<ChainVerification> {
  const db = await getDatabase();
  return verifyAuditChain(db, { checkpointKey: auditCheckpointKey(getConfig().authSecret), incremental: true, signCheckpoint: true });
}

export interface AuditPerson {
  id: string;
  displayName: string;
  orgSlug: string;
}

/** People the actor filter offers: the viewer's own organization and its partners (a member only themselves). */
export async function auditPeople(actor: Actor): Promise<AuditPerson[]> {
  const scope: AuditScope = auditScopeOf(actor);
  if (scope.kind === "own") return [{ id: actor.userId, displayName: actor.displayName, orgSlug: actor.orgSlug }];
  const config = getConfig();
  const partners = [...config.organizations.values()].filter((org) => org.slug === actor.orgSlug || org.sendsTo.includes(actor.orgSlug) || config.organizations.get(actor.orgSlug)?.sendsTo.includes(org.slug));
  const db = await getDatabase();
  return db.query<AuditPerson>(
    `SELECT id, display_name AS "displayName", org_slug AS "orgSlug" FROM users WHERE org_slug = ANY($1::text[]) ORDER BY org_slug, display_name`,
    [partners.map((org) => org.slug)],
  );
}
