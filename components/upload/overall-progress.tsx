import { formatBytes, formatDuration, formatSpeed } from "../format";
import { percentOf } from "./upload-list";
import type { OverallProgress } from "./uploads-state";

/** One line and one bar for every file of the batch together: files sent, bytes, speed and time left. */
export function OverallProgressBar({ overall }: { overall: OverallProgress }) {
  const percent = percentOf(overall.loaded, overall.total);
  const speed = overall.bytesPerSecond;
  const parts = [`${overall.sent} of ${overall.files} files sent`];
  if (overall.paused > 0) parts.push(`${overall.paused} paused`);
  if (overall.failed > 0) parts.push(`${overall.failed} not sent`);
  return (
    <div className="overall-progress" data-testid="overall-progress">
      <div className="upload-head">
        <span className="upload-name" id="overall-progress-label">
          All files
        </span>
        <span className="upload-size">{parts.join(" · ")}</span>
      </div>
      <progress className="progress" max={100} value={percent} aria-labelledby="overall-progress-label" aria-valuetext={`${percent}% of all files uploaded`} />
      <p className="progress-detail" data-testid="overall-progress-text">
        <span>{percent}%</span>
        <span>
          {formatBytes(overall.loaded)} of {formatBytes(overall.total)}
        </span>
        {overall.active > 0 ? <span>{speed && speed > 0 ? formatSpeed(speed) : "measuring speed…"}</span> : null}
        {overall.active > 0 && speed && speed > 0 ? <span>{formatDuration(overall.remaining / speed)} left</span> : null}
      </p>
    </div>
  );
}
