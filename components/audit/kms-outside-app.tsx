import Link from "next/link";
import { formatDate } from "../format";
import type { KmsCallView } from "../../lib/contract/audit-view";

/** Key use the app cannot account for: each row is a KMS call on the exchange key with no matching app event. */
export function KmsOutsideApp({ calls, pending, unavailable }: { calls: readonly KmsCallView[]; pending: number; unavailable: string | null }) {
  return (
    <section className={`card${calls.length > 0 ? " flagged" : ""}`} aria-labelledby="kms-outside-heading" data-testid="kms-outside-app" data-count={calls.length}>
      <h2 id="kms-outside-heading">Key use outside the app</h2>
      {unavailable ? (
        <p className="notice notice-warning">{unavailable}</p>
      ) : calls.length === 0 ? (
        <p className="muted" data-testid="kms-outside-none">
          Every Decrypt and GenerateDataKey call on the exchange key for your organization&apos;s exchanges in this time range matches an event of the app.
          {pending > 0 ? ` ${pending} very recent ${pending === 1 ? "call is" : "calls are"} still being matched.` : ""}
        </p>
      ) : (
        <>
          <p className="notice notice-error">
            {calls.length === 1 ? "One call" : `${calls.length} calls`} on the exchange key did not come through Keybridge: someone used the key directly with the organization&apos;s role. Check who
            holds that role&apos;s credentials.
          </p>
          <div className="table-wrap">
            <table className="exchange-table audit-table">
              <caption className="visually-hidden">KMS calls with no matching app event</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Operation</th>
                  <th scope="col">Caller</th>
                  <th scope="col">Exchange</th>
                  <th scope="col">From where</th>
                  <th scope="col">Request id</th>
                </tr>
              </thead>
              <tbody>
                {calls.map((call) => (
                  <tr key={call.eventId} data-testid="kms-flagged-row" data-operation={call.eventName}>
                    <td>
                      <time dateTime={call.eventTime}>{formatDate(call.eventTime)}</time>
                    </td>
                    <th scope="row">
                      {call.eventName}
                      {call.errorCode ? <span className="kms-error small block">{call.errorCode}</span> : <span className="muted small block">{call.purpose ?? ""}</span>}
                    </th>
                    <td className="audit-details">
                      {call.principalArn ?? "unknown"}
                      {call.sourceIdentity ? <span className="muted small block">source identity {call.sourceIdentity}</span> : null}
                    </td>
                    <td>{call.exchangeId ? <Link href={`/audit/exchanges/${call.exchangeId}`}>{call.exchangeId.slice(0, 8)}</Link> : "—"}</td>
                    <td>{call.sourceIp ?? "—"}</td>
                    <td>
                      <code className="hash">{call.requestId}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
