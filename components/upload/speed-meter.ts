// Speed over a sliding window, so that the estimate follows the current rate rather than the average since the
// start (which a pause, a resume or a slow first part would skew for the rest of the upload).

export const SPEED_WINDOW_MS = 5000;
/** Less than this much history gives no estimate rather than a wild one. */
const MIN_SPAN_MS = 500;

export interface SpeedMeter {
  /** Records the running count of bytes sent (it only grows) and returns bytes per second, or null if unsure. */
  sample(bytesSent: number, at?: number): number | null;
  reset(): void;
}

export function speedMeter(windowMs: number = SPEED_WINDOW_MS, now: () => number = () => performance.now()): SpeedMeter {
  let samples: Array<{ at: number; bytes: number }> = [];
  return {
    sample(bytesSent, at = now()) {
      samples.push({ at, bytes: bytesSent });
      // Keep one sample older than the window, so that the window is always fully covered.
      while (samples.length > 2 && at - (samples[1]?.at ?? at) >= windowMs) samples.shift();
      const first = samples[0];
      if (!first || at - first.at < MIN_SPAN_MS) return null;
      return Math.max(0, ((bytesSent - first.bytes) * 1000) / (at - first.at));
    },
    reset() {
      samples = [];
    },
  };
}
