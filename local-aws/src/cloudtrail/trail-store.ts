import { existsSync, readFileSync } from "node:fs";

/** A CloudTrail-shaped record as the event log writes it (see events/record.ts). */
export type TrailRecord = Record<string, unknown> & { eventID: string; eventTime: string; eventName: string; eventSource: string };

interface Stored {
  /** Increases by one per record for the life of the process: page tokens point at it. */
  position: number;
  record: TrailRecord;
}

/** CloudTrail keeps 90 days; a local endpoint keeps the newest records up to a count instead. */
const DEFAULT_CAPACITY = 50_000;

/**
 * The records LookupEvents answers from: everything written to the event log in this run, plus the log file's
 * earlier lines when it already existed (a restart with --state), oldest first.
 */
export class TrailStore {
  private records: Stored[] = [];
  private nextPosition = 0;

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  static fromLogFile(path: string | null, capacity = DEFAULT_CAPACITY): TrailStore {
    const store = new TrailStore(capacity);
    if (!path || !existsSync(path)) return store;
    for (const line of readFileSync(path, "utf8").split("\n")) {
      if (!line) continue;
      try {
        store.add(JSON.parse(line) as TrailRecord);
      } catch {
        // A line cut short by a crash mid-write is skipped; CloudTrail would not have delivered it either.
      }
    }
    return store;
  }

  add(record: TrailRecord): void {
    this.records.push({ position: this.nextPosition++, record });
    // Trimming in batches keeps add() O(1) amortised.
    if (this.records.length > this.capacity * 1.1) this.records = this.records.slice(this.records.length - this.capacity);
  }

  /** Newest first, starting below `beforePosition`, for as long as `visit` asks for more. */
  *newestFirst(beforePosition = Number.POSITIVE_INFINITY): Generator<Stored> {
    for (let index = this.records.length - 1; index >= 0; index -= 1) {
      const stored = this.records[index] as Stored;
      if (stored.position < beforePosition) yield stored;
    }
  }
}
