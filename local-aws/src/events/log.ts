import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { dirname } from "node:path";

/** Pending lines go out together at most this long after the first of them, like CloudTrail's batched delivery. */
const FLUSH_DELAY_MS = 20;
const FLUSH_BYTES = 256 * 1024;

/**
 * Appends one JSON line per event. Lines are batched into one asynchronous write every few milliseconds, so the log
 * costs no synchronous I/O and few syscalls per request; close() flushes whatever is pending.
 */
export class EventLog {
  private pending: string[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | null = null;

  private constructor(private readonly stream: WriteStream | null) {}

  static open(path: string | null): EventLog {
    if (!path) return new EventLog(null);
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const stream = createWriteStream(path, { flags: "a", mode: 0o600 });
    stream.on("error", (error) => console.error(`local-aws: event log ${path}: ${error.message}`));
    return new EventLog(stream);
  }

  write(record: Record<string, unknown>): void {
    if (!this.stream) return;
    const line = `${JSON.stringify(record)}\n`;
    this.pending.push(line);
    this.pendingBytes += line.length;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_DELAY_MS);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.stream || this.pending.length === 0) return;
    this.stream.write(this.pending.join(""));
    this.pending = [];
    this.pendingBytes = 0;
  }

  close(): Promise<void> {
    const stream = this.stream;
    if (!stream) return Promise.resolve();
    this.flush();
    return new Promise((resolve) => stream.end(resolve));
  }
}
