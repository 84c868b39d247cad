import { formatBytes, formatDate } from "../format";
import { actionLabel, OUTCOME_LABELS } from "./labels";
import type { AuditEventView, KmsCallView } from "../../lib/contract/audit-view";

function bytesOf(event: AuditEventView): string | null {
  const bytes = event.details.bytes ?? event.details.declaredBytes;
  return typeof bytes === "number" ? formatBytes(bytes) : null;
}

/** An exchange's life, oldest first: upload, links, and each download with who, when and from where. */
export function ExchangeTimeline({ events, kmsByRequestId }: { events: readonly AuditEventView[]; kmsByRequestId?: Record<string, KmsCallView> }) {
  return (
    <ol className="timeline" data-testid="exchange-timeline">
      {events.map((event) => {
        const size = bytesOf(event);
        return (
          <li key={event.seq} className={`timeline-item timeline-${event.outcome}`} data-testid="timeline-item" data-action={event.action}>
            <div className="timeline-head">
              <strong>{actionLabel(event.action)}</strong>
              <span className={`outcome outcome-${event.outcome}`}>{OUTCOME_LABELS[event.outcome] ?? event.outcome}</span>
              <time dateTime={event.occurredAt} className="muted small">
                {formatDate(event.occurredAt)}
              </time>
            </div>
            <p className="timeline-body">
              <span data-testid="timeline-who">
                {event.actorName ?? "Unknown person"}
                {event.actorOrg ? ` (${event.actorOrg}${event.actorRole ? `, ${event.actorRole}` : ""})` : ""}
              </span>
              {event.clientIp ? <span data-testid="timeline-where"> from {event.clientIp}</span> : null}
              {size ? <span> · {size}</span> : null}
              {event.reason ? <span className="muted"> · reason: {event.reason}</span> : null}
            </p>
            {event.userAgent ? <p className="muted small timeline-agent">{event.userAgent}</p> : null}
            {event.awsRequestIds.length > 0 ? (
              <ul className="kms-calls small">
                {event.awsRequestIds.map((requestId) => {
                  const call = kmsByRequestId?.[requestId];
                  return (
                    <li key={requestId} data-testid="kms-match" data-matched={call ? "true" : "false"}>
                      {call ? `${call.eventName}${call.errorCode ? ` (${call.errorCode})` : ""} by ${call.principalArn ?? "unknown"}` : "AWS request"} <code className="hash">{requestId}</code>
                    </li>
                  );
                })}
              </ul>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
