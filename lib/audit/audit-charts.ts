import "server-only";
import type { Actor } from "../auth/actor";
import { getDatabase, type Queryable } from "../db";
import { auditScopeOf, type AuditScope } from "./audit-access";
import type { AuditFilters } from "./audit-filters";
import { auditWhere } from "./query-events";

export interface DailyActivity {
  /** YYYY-MM-DD, UTC. */
  day: string;
  exchanges: number;
  bytes: number;
  denials: number;
}

export interface TopRecipient {
  name: string;
  org: string | null;
  downloads: number;
  bytes: number;
}

export interface AuditCharts {
  days: DailyActivity[];
  topRecipients: TopRecipient[];
  from: string;
  to: string;
}

const DEFAULT_DAYS = 30;

/**
 * Per-day totals and top recipients for the viewer's scope over the filtered time range (the last 30 days when
 * none is set). Only scope and time apply: the charts give the shape of activity around the rows being filtered.
 */
export async function auditCharts(actor: Actor, filters: Pick<AuditFilters, "from" | "to">): Promise<AuditCharts> {
  const to = filters.to ?? new Date().toISOString().slice(0, 10);
  const from = filters.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
  return queryAuditCharts(await getDatabase(), auditScopeOf(actor), from, to);
}

/** The charts' two aggregate queries for a scope and a range of whole days (YYYY-MM-DD, inclusive). */
export async function queryAuditCharts(db: Queryable, scope: AuditScope, from: string, to: string): Promise<AuditCharts> {
  const daily = auditWhere({ scope, filters: { from, to } });
  const days = await db.query<DailyActivity>(
    `SELECT to_char(date_trunc('day', occurred_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day,
       count(*) FILTER (WHERE action = 'upload.completed')::int AS exchanges,
       coalesce(sum((details->>'bytes')::bigint) FILTER (WHERE action = 'upload.completed'), 0)::bigint AS bytes,
       count(*) FILTER (WHERE outcome = 'denied')::int AS denials
     FROM audit_events WHERE ${daily.where} GROUP BY 1 ORDER BY 1`,
    daily.params,
  );
  const top = auditWhere({ scope, filters: { from, to, action: "download.completed" } });
  const topRecipients = await db.query<TopRecipient>(
    `SELECT coalesce(actor_display_name, 'Unknown') AS name, actor_org AS org, count(*)::int AS downloads, coalesce(sum((details->>'bytes')::bigint), 0)::bigint AS bytes
     FROM audit_events WHERE ${top.where} GROUP BY 1, 2 ORDER BY downloads DESC, name LIMIT 5`,
    top.params,
  );
  return { days: fillDays(days, from, to), topRecipients, from, to };
}

/** Days without events still get a bar (of zero), so the time axis does not lie about gaps. */
function fillDays(days: DailyActivity[], from: string, to: string): DailyActivity[] {
  const byDay = new Map(days.map((day) => [day.day, day]));
  const filled: DailyActivity[] = [];
  for (let time = Date.parse(`${from}T00:00:00Z`); time <= Date.parse(`${to}T00:00:00Z`) && filled.length < 400; time += 86_400_000) {
    const day = new Date(time).toISOString().slice(0, 10);
    filled.push(byDay.get(day) ?? { day, exchanges: 0, bytes: 0, denials: 0 });
  }
  return filled;
}
