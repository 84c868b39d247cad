import Link from "next/link";
import { formatBytes, formatDuration, formatSpeed, shortHash } from "../format";
import { IN_FLIGHT, type UploadItem, type UploadPhase } from "./uploads-state";

const STATUS: Record<UploadPhase, string> = {
  ready: "Ready to send",
  queued: "Waiting to start",
  creating: "Starting…",
  uploading: "Uploading",
  finishing: "Encrypting the last part and storing…",
  done: "Sent",
  failed: "Not sent",
  cancelled: "Cancelled",
};

function percentOf(item: UploadItem): number {
  if (item.phase === "done" || item.phase === "finishing") return 100;
  return item.file.size > 0 ? Math.min(100, Math.floor((item.loaded / item.file.size) * 100)) : 0;
}

function ProgressDetail({ item }: { item: UploadItem }) {
  const percent = percentOf(item);
  if (item.phase === "uploading") {
    const remaining = item.file.size - item.loaded;
    const speed = item.bytesPerSecond;
    return (
      <p className="progress-detail" data-testid="upload-progress-text">
        <span>{percent}%</span>
        <span>
          {formatBytes(item.loaded)} of {formatBytes(item.file.size)}
        </span>
        <span>{speed && speed > 0 ? formatSpeed(speed) : "measuring speed…"}</span>
        <span>{speed && speed > 0 ? `${formatDuration(remaining / speed)} left` : ""}</span>
      </p>
    );
  }
  if (item.phase === "finishing")
    return (
      <p className="progress-detail" data-testid="upload-progress-text">
        <span>100%</span>
        <span>{formatBytes(item.file.size)} uploaded</span>
      </p>
    );
  return null;
}

export function UploadList({ items, onCancel, onRetry, onRemove }: { items: UploadItem[]; onCancel: (item: UploadItem) => void; onRetry: (item: UploadItem) => void; onRemove: (item: UploadItem) => void }) {
  if (items.length === 0) return null;
  return (
    <section aria-label="Files to send">
      <ul className="upload-list">
        {items.map((item) => {
          const nameId = `${item.key}-name`;
          const inFlight = IN_FLIGHT.has(item.phase);
          const showBar = item.phase !== "ready" && item.phase !== "failed" && item.phase !== "cancelled";
          return (
            <li key={item.key} className={`upload-item upload-${item.phase}`} data-testid="upload-item" data-phase={item.phase}>
              <div className="upload-head">
                <span className="upload-name" id={nameId}>
                  {item.file.name}
                </span>
                <span className="upload-size">{formatBytes(item.file.size)}</span>
              </div>

              {showBar ? (
                <progress
                  className="progress"
                  max={100}
                  value={percentOf(item)}
                  aria-labelledby={nameId}
                  aria-valuetext={`${percentOf(item)}% uploaded`}
                  data-testid="upload-progress"
                />
              ) : null}
              <ProgressDetail item={item} />

              <div className="upload-foot">
                <span className={`upload-status status-${item.phase}`} data-testid="upload-status">
                  {item.phase === "done" ? "✓ " : ""}
                  {STATUS[item.phase]}
                  {item.phase === "done" && item.sha256 ? (
                    <span className="muted" title={item.sha256}>
                      {" "}
                      · SHA-256 <code>{shortHash(item.sha256)}</code>
                    </span>
                  ) : null}
                </span>
                <span className="upload-actions">
                  {item.phase === "done" && item.exchangeId ? (
                    <Link href={`/exchanges/${item.exchangeId}`} className="button button-small" data-testid="upload-exchange-link">
                      View exchange<span className="visually-hidden"> for {item.file.name}</span>
                    </Link>
                  ) : null}
                  {inFlight || item.phase === "queued" ? (
                    <button type="button" className="button button-small" onClick={() => onCancel(item)} disabled={item.phase === "finishing"} data-testid="upload-cancel">
                      Cancel<span className="visually-hidden"> upload of {item.file.name}</span>
                    </button>
                  ) : null}
                  {(item.phase === "failed" || item.phase === "cancelled") && item.retryable ? (
                    <button type="button" className="button button-small" onClick={() => onRetry(item)} data-testid="upload-retry">
                      Retry<span className="visually-hidden"> {item.file.name}</span>
                    </button>
                  ) : null}
                  {!inFlight && item.phase !== "queued" && item.phase !== "done" ? (
                    <button type="button" className="button button-small button-quiet" onClick={() => onRemove(item)}>
                      Remove<span className="visually-hidden"> {item.file.name}</span>
                    </button>
                  ) : null}
                </span>
              </div>

              {item.error ? (
                <p className="upload-error" data-testid="upload-error">
                  {item.error}
                </p>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
