import { chainProblemLabel } from "./labels";
import type { ChainStatusSummary } from "./types";

/** Whether the hash chain and its signed checkpoints verify, in words and colour (never colour alone). */
export function ChainBadge({ status }: { status: ChainStatusSummary }) {
  if (status.ok) {
    return (
      <p className="chain-badge chain-ok" data-testid="chain-badge" data-state="ok">
        <span aria-hidden="true">✓</span> Audit trail intact
        <span className="muted small">
          {" "}
          · {status.checked === 0 ? "nothing new since the last signed checkpoint" : `${status.checked.toLocaleString("en-US")} new ${status.checked === 1 ? "event" : "events"} verified since the last signed checkpoint`}
        </span>
      </p>
    );
  }
  return (
    <p className="chain-badge chain-broken" data-testid="chain-badge" data-state="broken" role="status">
      <span aria-hidden="true">✗</span> Audit trail tampered with: event #{status.firstBad?.seq} fails — {chainProblemLabel(status.firstBad?.problem ?? "")}. Run <code>npm run audit:verify</code> and report it.
    </p>
  );
}
