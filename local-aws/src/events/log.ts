import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { dirname } from "node:path";

/**
 * Appends one JSON line per event. Lines written in the same tick go out as one write, so the log costs no
 * synchronous I/O and few syscalls per request; close() flushes whatever is pending.
 */
export class EventLog {
  private pending: string[] = [];
  private scheduled = false;

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
    this.pending.push(`${JSON.stringify(record)}\n`);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.scheduled = false;
    if (!this.stream || this.pending.length === 0) return;
    this.stream.write(this.pending.join(""));
    this.pending = [];
  }

  close(): Promise<void> {
    const stream = this.stream;
    if (!stream) return Promise.resolve();
    this.flush();
    return new Promise((resolve) => stream.end(resolve));
  }
}
