import Link from "next/link";
import { formatDate } from "../format";
import { actionLabel, OUTCOME_LABELS } from "./labels";
import type { AuditEventView, KmsCallView } from "../../lib/contract/audit-view";

function detailText(event: AuditEventView): string {
  const parts = Object.entries(event.details).map(([key, value]) => `${key}: ${String(value)}`);
  return [event.reason ? `reason: ${event.reason}` : null, ...parts].filter(Boolean).join(" · ");
}

/** The KMS calls behind an event as the key service logged them, or the request ids still unmatched. */
function KmsCell({ event, kmsByRequestId }: { event: AuditEventView; kmsByRequestId?: Record<string, KmsCallView> }) {
  if (event.awsRequestIds.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="kms-calls">
      {event.awsRequestIds.map((requestId) => {
        const call = kmsByRequestId?.[requestId];
        return (
          <li key={requestId} data-testid="kms-match" data-matched={call ? "true" : "false"}>
            {call ? (
              <>
                <span className={call.errorCode ? "kms-name kms-error" : "kms-name"}>{call.eventName}</span>
                {call.errorCode ? <span className="kms-error"> {call.errorCode}</span> : null}
              </>
            ) : (
              <span className="muted">AWS call</span>
            )}{" "}
            <code className="hash" title={requestId}>
              {requestId.slice(0, 8)}
            </code>
          </li>
        );
      })}
    </ul>
  );
}

export function AuditEventTable({ events, caption, kmsByRequestId }: { events: readonly AuditEventView[]; caption: string; kmsByRequestId?: Record<string, KmsCallView> }) {
  return (
    <div className="table-wrap">
      <table className="exchange-table audit-table" data-testid="audit-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Action</th>
            <th scope="col">Who</th>
            <th scope="col">Exchange or target</th>
            <th scope="col">From where</th>
            <th scope="col">KMS / STS calls</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr key={event.seq} data-testid="audit-row" data-action={event.action} data-outcome={event.outcome}>
              <td>
                <time dateTime={event.occurredAt}>{formatDate(event.occurredAt)}</time>
                <span className="muted small block">#{event.seq}</span>
              </td>
              <th scope="row" className="audit-action">
                {actionLabel(event.action)}
                <span className={`outcome outcome-${event.outcome}`}>{OUTCOME_LABELS[event.outcome] ?? event.outcome}</span>
                {detailText(event) ? <span className="muted small block audit-details">{detailText(event)}</span> : null}
              </th>
              <td>
                <span className="org-name">{event.actorName ?? "Unknown person"}</span>
                <span className="muted small">
                  {[event.actorOrg, event.actorRole].filter(Boolean).join(" · ") || "—"}
                </span>
              </td>
              <td>
                {event.targetType === "exchange" && event.targetId ? (
                  <Link href={`/audit/exchanges/${event.targetId}`} className="file-link" title={event.targetId}>
                    {event.targetName ?? `Exchange ${event.targetId.slice(0, 8)}`}
                  </Link>
                ) : event.targetType === "link" && typeof event.details.exchangeId === "string" ? (
                  <Link href={`/audit/exchanges/${event.details.exchangeId}`} className="file-link" title={event.details.exchangeId}>
                    Link of exchange {event.details.exchangeId.slice(0, 8)}
                  </Link>
                ) : event.targetId ? (
                  <span className="muted">
                    {event.targetType} {event.targetId}
                  </span>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td>
                <span>{event.clientIp ?? "—"}</span>
                {event.userAgent ? (
                  <span className="muted small block audit-agent" title={event.userAgent}>
                    {event.userAgent}
                  </span>
                ) : null}
              </td>
              <td>
                <KmsCell event={event} kmsByRequestId={kmsByRequestId} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
