import "server-only";
import { errorField, log } from "../log";
import type { Actor } from "../auth/actor";
import { lookupKeyEvents, type KmsTrailEvent } from "../aws";
import { getConfig } from "../config";
import { getDatabase, type Queryable } from "../db";
import { auditScopeOf, mayCrossCheckKms } from "./audit-access";
import type { AuditEventView, KmsCallView } from "../contract/audit-view";
import { filterInstant, type AuditFilters } from "./audit-filters";

export interface KmsCrossCheck {
  /** The key service's record of each request id the shown events name. */
  byRequestId: Record<string, KmsCallView>;
  /** Decrypt and GenerateDataKey calls on the exchange key that no app event made: key use outside the app. */
  outsideApp: KmsCallView[];
  /** Calls too recent to judge: the app writes its event just after the KMS call returns. */
  pending: number;
  /** Set when the key service's log could not be read; the page still shows the app's events. */
  unavailable: string | null;
}

const FLAGGED_OPERATIONS = new Set(["Decrypt", "GenerateDataKey"]);
const GRACE_MS = 10_000;
// An upload's GenerateDataKey happens when it starts; its event is written when it completes.
const LOOKBACK_MS = 15 * 60_000;
const DEFAULT_WINDOW_MS = 24 * 3600_000;

function view(event: KmsTrailEvent): KmsCallView {
  return {
    eventId: event.eventId,
    requestId: event.requestId,
    eventName: event.eventName,
    eventTime: event.eventTime.toISOString(),
    principalArn: event.principalArn,
    sourceIdentity: event.sourceIdentity,
    sourceIp: event.sourceIp,
    errorCode: event.errorCode,
    exchangeId: event.exchangeId,
    purpose: event.purpose,
  };
}

/** Which of `requestIds` some audit event recorded (the GIN index on aws_request_ids answers this). */
export async function requestIdsKnownToApp(db: Queryable, requestIds: readonly string[]): Promise<Set<string>> {
  if (requestIds.length === 0) return new Set();
  const rows = await db.query<{ id: string }>(
    "SELECT DISTINCT id FROM audit_events, unnest(aws_request_ids) AS id WHERE aws_request_ids && $1::text[] AND id = ANY($1::text[])",
    [requestIds],
  );
  return new Set(rows.map((row) => row.id));
}

/**
 * Lines the app's events up with the key service's log (CloudTrail LookupEvents; local-aws implements it), and,
 * for admins and auditors, finds calls on the exchange key for their organization's exchanges that no app event
 * accounts for.
 */
export async function crossCheckKms(actor: Actor, events: readonly AuditEventView[], filters: Pick<AuditFilters, "from" | "to" | "exchange"> = {}): Promise<KmsCrossCheck> {
  const now = Date.now();
  const windowFrom = filters.from ? filterInstant(filters.from, "from").getTime() : now - DEFAULT_WINDOW_MS;
  const windowTo = filters.to ? Math.min(filterInstant(filters.to, "to").getTime(), now) : now;
  const times = events.map((event) => Date.parse(event.occurredAt));
  const from = new Date(Math.min(windowFrom, ...times.map((time) => time - LOOKBACK_MS)));
  const to = new Date(Math.max(windowTo, ...times.map((time) => time + 60_000)));
  let trail: KmsTrailEvent[];
  try {
    trail = await lookupKeyEvents(getConfig().exchangeKeyArn, from, to);
  } catch (error) {
    log.warn({ error: errorField(error) }, "key service log lookup failed");
    return { byRequestId: {}, outsideApp: [], pending: 0, unavailable: "The key service's log could not be read just now." };
  }
  const byRequestId = Object.fromEntries(trail.map((event) => [event.requestId, view(event)]));
  if (!mayCrossCheckKms(auditScopeOf(actor))) return { byRequestId, outsideApp: [], pending: 0, unavailable: null };

  const candidates = trail.filter(
    (event) =>
      FLAGGED_OPERATIONS.has(event.eventName) &&
      (event.senderOrg === actor.orgSlug || event.recipientOrg === actor.orgSlug) &&
      (!filters.exchange || event.exchangeId === filters.exchange) &&
      event.eventTime.getTime() >= windowFrom &&
      event.eventTime.getTime() <= windowTo,
  );
  const known = await requestIdsKnownToApp(await getDatabase(), candidates.map((event) => event.requestId));
  const unexplained = candidates.filter((event) => !known.has(event.requestId));
  const settled = unexplained.filter((event) => now - event.eventTime.getTime() > GRACE_MS);
  return { byRequestId, outsideApp: settled.map(view), pending: unexplained.length - settled.length, unavailable: null };
}
