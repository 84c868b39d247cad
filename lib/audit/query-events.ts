import "server-only";
import type { Queryable } from "../db";
import type { AuditScope } from "./audit-access";
import { toAuditEventView, AuditEventRowSchema, type AuditEventView } from "./audit-event-view";
import { decodeCursor, encodeCursor, filterInstant, isUuid, type AuditFilters } from "./audit-filters";

export const AUDIT_PAGE_SIZE = 50;

/** Filters plus what only the server can add: exchange ids whose decrypted file name matched the search. */
export interface AuditQuery {
  scope: AuditScope;
  filters: AuditFilters;
  exchangesNamedLike?: readonly string[];
}

export interface AuditPage {
  events: AuditEventView[];
  /** Cursor of the next (older) page, or null on the last one. */
  nextCursor: string | null;
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

/** The SQL form of `mayViewAuditEvent`: keep the two in step (audit-access.test.ts checks they agree). */
function scopeCondition(scope: AuditScope, param: (value: unknown) => string): string {
  if (scope.kind === "own") return `actor_user_id = ${param(scope.userId)}`;
  const org = param(scope.orgSlug);
  return `(actor_org = ${org} OR party_orgs @> ARRAY[${org}]::text[])`;
}

/** WHERE clause and parameters for a scope and its filters; every value is a bound parameter. */
export function auditWhere(query: AuditQuery, params: unknown[] = []): { where: string; params: unknown[] } {
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const { filters } = query;
  const conditions = [scopeCondition(query.scope, param)];
  if (filters.from) conditions.push(`occurred_at >= ${param(filterInstant(filters.from, "from"))}`);
  if (filters.to) conditions.push(`occurred_at <= ${param(filterInstant(filters.to, "to"))}`);
  if (filters.actor) conditions.push(`actor_user_id = ${param(filters.actor)}`);
  if (filters.org) {
    const org = param(filters.org);
    conditions.push(`(actor_org = ${org} OR party_orgs @> ARRAY[${org}]::text[])`);
  }
  if (filters.action) conditions.push(`action = ${param(filters.action)}`);
  if (filters.outcome) conditions.push(`outcome = ${param(filters.outcome)}`);
  if (filters.exchange) {
    const exchange = param(filters.exchange.toLowerCase());
    conditions.push(`((target_type = 'exchange' AND target_id = ${exchange}) OR (target_type = 'link' AND details->>'exchangeId' = ${exchange}))`);
  }
  if (filters.q) {
    if (isUuid(filters.q)) {
      const id = param(filters.q.toLowerCase());
      conditions.push(`(target_id = ${id} OR actor_user_id = ${id}::uuid)`);
    } else {
      const like = param(likePattern(filters.q));
      const named = query.exchangesNamedLike?.length ? ` OR (target_type = 'exchange' AND target_id = ANY(${param(query.exchangesNamedLike)}::text[]))` : "";
      conditions.push(`(actor_display_name ILIKE ${like} OR target_display_name ILIKE ${like} OR details->>'email' ILIKE ${like}${named})`);
    }
  }
  return { where: conditions.join(" AND "), params };
}

/** One page, newest first, after `filters.after`: a keyset page on (occurred_at, seq), as fast at page 10,000 as at page 1. */
export async function listAuditEvents(db: Queryable, query: AuditQuery, limit = AUDIT_PAGE_SIZE): Promise<AuditPage> {
  const { where, params } = auditWhere(query);
  let keyset = "";
  if (query.filters.after) {
    const { occurredAt, seq } = decodeCursor(query.filters.after);
    params.push(occurredAt, seq);
    keyset = ` AND (occurred_at, seq) < ($${params.length - 1}, $${params.length})`;
  }
  params.push(limit + 1);
  const rows = await db.queryRows(AuditEventRowSchema, `SELECT * FROM audit_events WHERE ${where}${keyset} ORDER BY occurred_at DESC, seq DESC LIMIT $${params.length}`, params);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { events: page.map(toAuditEventView), nextCursor: rows.length > limit && last ? encodeCursor(last.occurred_at, last.seq) : null };
}

/** Every matching event, a keyset page at a time, so an export of millions of rows holds one page in memory. */
export async function* auditEventPages(db: Queryable, query: AuditQuery, pageSize = 1000): AsyncGenerator<AuditEventView[]> {
  let after = query.filters.after;
  for (;;) {
    const page = await listAuditEvents(db, { ...query, filters: { ...query.filters, after } }, pageSize);
    if (page.events.length > 0) yield page.events;
    if (!page.nextCursor) return;
    after = page.nextCursor;
  }
}

/** An exchange's events oldest first, for its timeline (the scope still applies: a member sees only their own). */
export async function exchangeAuditEvents(db: Queryable, scope: AuditScope, exchangeId: string, limit = 2000): Promise<AuditEventView[]> {
  const { where, params } = auditWhere({ scope, filters: { exchange: exchangeId } });
  params.push(limit);
  const rows = await db.queryRows(AuditEventRowSchema, `SELECT * FROM audit_events WHERE ${where} ORDER BY occurred_at, seq LIMIT $${params.length}`, params);
  return rows.map(toAuditEventView);
}
