import Link from "next/link";
import { formatBytes, formatDuration, formatSpeed, shortHash } from "../format";
import { MAX_PART_ATTEMPTS } from "./part-plan";
import type { PartRetry } from "./transfer";
import { IN_FLIGHT, type UploadItem, type UploadPhase } from "./uploads-state";

const STATUS: Record<UploadPhase, string> = {
  ready: "Ready to send",
  queued: "Waiting to start",
  creating: "Starting…",
  uploading: "Uploading",
  finishing: "Checking the parts and sealing the exchange…",
  paused: "Paused",
  cancelling: "Cancelling…",
  done: "Sent",
  failed: "Not sent",
  cancelled: "Cancelled",
};

export function percentOf(done: number, total: number): number {
  if (total <= 0) return done >= total ? 100 : 0;
  return Math.min(100, Math.floor((done / total) * 100));
}

function itemPercent(item: UploadItem): number {
  if (item.phase === "done" || item.phase === "finishing") return 100;
  return percentOf(item.loaded, item.file.size);
}

function statusText(item: UploadItem): string {
  if (item.phase === "creating") return item.exchangeId ? "Checking which parts the server already has…" : STATUS.creating;
  return STATUS[item.phase];
}

function RetryLine({ retry, now }: { retry: PartRetry; now: number }) {
  const attempt = `(attempt ${retry.attempt} of ${MAX_PART_ATTEMPTS})`;
  if (retry.waitingForNetwork) return <li>Part {retry.partNumber} waits for the network connection to come back</li>;
  if (retry.retryAt === null)
    return (
      <li>
        Part {retry.partNumber} retrying {attempt} now
      </li>
    );
  const seconds = Math.max(1, Math.ceil((retry.retryAt - now) / 1000));
  return (
    <li title={retry.reason}>
      Part {retry.partNumber} retrying {attempt} in {seconds} s <span className="muted">· {retry.reason}</span>
    </li>
  );
}

function ProgressDetail({ item }: { item: UploadItem }) {
  const percent = itemPercent(item);
  const parts = item.partCount ? (
    <span>
      {item.partsStored} of {item.partCount} {item.partCount === 1 ? "part" : "parts"} stored
    </span>
  ) : null;
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
        {parts}
      </p>
    );
  }
  if (item.phase === "paused" || (item.phase === "failed" && item.exchangeId))
    return (
      <p className="progress-detail" data-testid="upload-progress-text">
        <span>{percent}%</span>
        <span>
          {formatBytes(item.storedBytes)} of {formatBytes(item.file.size)} stored on the server
        </span>
        {parts}
      </p>
    );
  if (item.phase === "finishing")
    return (
      <p className="progress-detail" data-testid="upload-progress-text">
        <span>100%</span>
        <span>{formatBytes(item.file.size)} uploaded</span>
        {parts}
      </p>
    );
  return null;
}

export interface UploadListProps {
  items: UploadItem[];
  onCancel: (item: UploadItem) => void;
  onPause: (item: UploadItem) => void;
  onResume: (item: UploadItem) => void;
  onRetry: (item: UploadItem) => void;
  onRemove: (item: UploadItem) => void;
}

export function UploadList({ items, onCancel, onPause, onResume, onRetry, onRemove }: UploadListProps) {
  if (items.length === 0) return null;
  const now = Date.now();
  return (
    <section aria-label="Files to send">
      <ul className="upload-list">
        {items.map((item) => {
          const nameId = `${item.key}-name`;
          const inFlight = IN_FLIGHT.has(item.phase);
          const showBar = item.phase !== "ready" && item.phase !== "cancelled" && !(item.phase === "failed" && !item.exchangeId);
          const percent = itemPercent(item);
          const canCancel = inFlight || item.phase === "queued" || item.phase === "paused";
          return (
            <li key={item.key} className={`upload-item upload-${item.phase}`} data-testid="upload-item" data-phase={item.phase} data-exchange-id={item.exchangeId ?? undefined}>
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
                  value={percent}
                  aria-labelledby={nameId}
                  aria-valuetext={`${percent}% uploaded${item.phase === "paused" ? ", paused" : ""}`}
                  data-testid="upload-progress"
                />
              ) : null}
              <ProgressDetail item={item} />

              {item.resumedFrom !== null && item.phase !== "done" ? (
                <p className="upload-note" data-testid="upload-resumed">
                  Resumed: {formatBytes(item.resumedFrom)} ({percentOf(item.resumedFrom, item.file.size)}%) was already stored, so only the rest is sent.
                </p>
              ) : null}
              {item.phase === "ready" && item.resumeHint ? (
                <p className="upload-note" data-testid="upload-resume-hint">
                  Started before: {formatBytes(item.resumeHint.storedBytes)} ({percentOf(item.resumeHint.storedBytes, item.file.size)}%) is already stored. Sending it to the same organization resumes from there.
                </p>
              ) : null}
              {item.phase === "uploading" && item.retries.length > 0 ? (
                <ul className="part-retries" data-testid="upload-retries" aria-label={`Parts of ${item.file.name} being retried`}>
                  {item.retries.map((retry) => (
                    <RetryLine key={retry.partNumber} retry={retry} now={now} />
                  ))}
                </ul>
              ) : null}

              <div className="upload-foot">
                <span className={`upload-status status-${item.phase}`} data-testid="upload-status">
                  {item.phase === "done" ? "✓ " : ""}
                  {statusText(item)}
                  {item.phase === "done" && item.sha256 ? (
                    <span className="muted" title={item.sha256} data-testid="upload-sha256" data-sha256={item.sha256}>
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
                  {item.phase === "uploading" ? (
                    <button type="button" className="button button-small" onClick={() => onPause(item)} data-testid="upload-pause">
                      Pause<span className="visually-hidden"> upload of {item.file.name}</span>
                    </button>
                  ) : null}
                  {item.phase === "paused" ? (
                    <button type="button" className="button button-small button-primary" onClick={() => onResume(item)} data-testid="upload-resume">
                      Resume<span className="visually-hidden"> upload of {item.file.name}</span>
                    </button>
                  ) : null}
                  {canCancel ? (
                    <button
                      type="button"
                      className="button button-small"
                      onClick={() => onCancel(item)}
                      disabled={item.phase === "finishing" || item.phase === "cancelling"}
                      data-testid="upload-cancel"
                    >
                      Cancel<span className="visually-hidden"> upload of {item.file.name}</span>
                    </button>
                  ) : null}
                  {(item.phase === "failed" || item.phase === "cancelled") && item.retryable ? (
                    <button type="button" className="button button-small" onClick={() => onRetry(item)} data-testid="upload-retry">
                      Retry<span className="visually-hidden"> {item.file.name}</span>
                    </button>
                  ) : null}
                  {item.phase === "failed" && item.exchangeId ? (
                    <button type="button" className="button button-small" onClick={() => onCancel(item)} data-testid="upload-discard">
                      Discard<span className="visually-hidden"> the parts of {item.file.name} stored so far</span>
                    </button>
                  ) : null}
                  {!canCancel && item.phase !== "done" ? (
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
