import Link from "next/link";
import { formatBytes, formatDate, formatExactBytes, shortHash } from "./format";
import type { ExchangeSummary } from "./types";

/** Received or sent exchanges as a table; each file name links to the exchange's page. */
export function ExchangeTable({ exchanges, direction, caption }: { exchanges: readonly ExchangeSummary[]; direction: "received" | "sent"; caption: string }) {
  const counterpartLabel = direction === "received" ? "From" : "To";
  return (
    <div className="table-wrap">
      <table className="exchange-table" data-testid={`${direction}-table`}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">{counterpartLabel}</th>
            <th scope="col" className="numeric">
              Size
            </th>
            <th scope="col">{direction === "received" ? "Received" : "Sent"}</th>
            <th scope="col">SHA-256</th>
          </tr>
        </thead>
        <tbody>
          {exchanges.map((exchange) => {
            const date = exchange.completedAt ?? exchange.createdAt;
            return (
              <tr key={exchange.id} data-testid="exchange-row">
                <th scope="row" className="file-cell">
                  <Link href={`/exchanges/${exchange.id}`} className="file-link">
                    {exchange.fileName ?? "Name unavailable"}
                  </Link>
                  {exchange.metadataError ? (
                    <span className="row-warning" data-testid="metadata-error">
                      {exchange.metadataError}
                    </span>
                  ) : exchange.message ? (
                    <span className="row-message" title={exchange.message}>
                      {exchange.message}
                    </span>
                  ) : null}
                </th>
                <td>
                  {direction === "received" ? (
                    <>
                      <span className="org-name">{exchange.senderOrgName}</span>
                      <span className="muted small">{exchange.senderName}</span>
                    </>
                  ) : (
                    <>
                      <span className="org-name">{exchange.recipientOrgName}</span>
                      <span className="muted small">by {exchange.senderName}</span>
                    </>
                  )}
                </td>
                <td className="numeric" title={formatExactBytes(exchange.size)}>
                  {formatBytes(exchange.size)}
                </td>
                <td>
                  <time dateTime={date}>{formatDate(date)}</time>
                </td>
                <td>
                  {exchange.sha256 ? (
                    <code className="hash" title={exchange.sha256}>
                      {shortHash(exchange.sha256)}
                    </code>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
