import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "../../..");

/** A CloudTrail-shaped record from the event log, as parsed JSON. */
export interface TrailEvent {
  eventVersion: string;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  userIdentity: {
    type: string;
    principalId?: string;
    arn?: string;
    accountId?: string;
    accessKeyId?: string;
    userName?: string;
    sessionContext?: {
      sessionIssuer: { type?: string; principalId?: string; arn?: string; accountId?: string; userName?: string };
      attributes?: { creationDate: string; mfaAuthenticated: string };
      sourceIdentity?: string;
      sessionTags?: Record<string, string>;
    };
  };
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  errorCode?: string;
  errorMessage?: string;
  requestID: string;
  eventID: string;
  readOnly: boolean;
  resources?: Array<{ ARN: string; accountId: string; type?: string }>;
  eventType: string;
  recipientAccountId?: string;
}

export interface StartOptions {
  /** A world file path, or a world object written to a temp file (default: local-aws/world.example.json). */
  world?: string | object;
  /** Reuse a state directory, e.g. to restart over the same state; the caller then removes it. */
  stateDir?: string;
  /** Without --state: pass no --state flag at all (everything in memory, no event log unless eventLogPath). */
  inMemory?: boolean;
  eventLogPath?: string;
  args?: string[];
  timeoutMs?: number;
}

export interface LocalAws {
  url: string;
  /** The state directory (a fresh temp directory unless one was given), or null with inMemory. */
  stateDir: string | null;
  eventLogPath: string | null;
  pid: number;
  /** stdout and stderr so far. */
  output(): string;
  /** Sends SIGTERM and resolves with the exit code; removes the temp directory it created. */
  stop(): Promise<number | null>;
  /** The event log as written so far. */
  readEvents(): TrailEvent[];
  /** Polls the event log until a record matches (the log is written asynchronously, shortly after the response). */
  waitForEvent(predicate: (event: TrailEvent) => boolean, timeoutMs?: number): Promise<TrailEvent>;
}

function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (host !== "127.0.0.1" && host !== "localhost" && host !== "[::1]") throw new Error(`tests only run against loopback endpoints, not ${url}`);
}

/** Spawns `node --import tsx local-aws/src/main.ts --port 0 ...` and resolves once it prints its ready line. */
export async function startLocalAws(options: StartOptions = {}): Promise<LocalAws> {
  const tempDir = mkdtempSync(join(tmpdir(), "local-aws-test-"));
  let worldPath = join(ROOT, "local-aws/world.example.json");
  if (typeof options.world === "string") worldPath = options.world;
  else if (options.world) {
    worldPath = join(tempDir, "world.json");
    writeFileSync(worldPath, JSON.stringify(options.world, null, 2));
  }
  const stateDir = options.inMemory ? null : (options.stateDir ?? join(tempDir, "state"));
  const eventLogPath = options.eventLogPath ?? (stateDir ? join(stateDir, "events.jsonl") : null);
  const args = ["--import", "tsx", "local-aws/src/main.ts", "--port", "0", "--world", worldPath];
  if (stateDir) args.push("--state", stateDir);
  if (options.eventLogPath) args.push("--event-log", options.eventLogPath);
  args.push(...(options.args ?? []));

  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once("exit", (code) => resolveExit(code)));
  const cleanUp = () => rmSync(tempDir, { recursive: true, force: true });

  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`local-aws was not ready in time:\n${output}`));
    }, options.timeoutMs ?? 30_000);
    const onData = () => {
      const match = output.match(/^local-aws ready on (http:\/\/\S+)$/m);
      if (match) {
        clearTimeout(timer);
        child.stdout.off("data", onData);
        resolveUrl(match[1] as string);
      }
    };
    child.stdout.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`local-aws exited with ${code} before it was ready:\n${output}`));
    });
  }).catch((error: unknown) => {
    cleanUp();
    throw error;
  });
  assertLoopback(url);

  const readEvents = (): TrailEvent[] =>
    eventLogPath && existsSync(eventLogPath)
      ? // The log is appended while it is read: only lines that have their newline are whole.
        readFileSync(eventLogPath, "utf8")
          .split("\n")
          .slice(0, -1)
          .filter(Boolean)
          .map((line) => JSON.parse(line) as TrailEvent)
      : [];

  return {
    url,
    stateDir,
    eventLogPath,
    pid: child.pid ?? 0,
    output: () => output,
    readEvents,
    async waitForEvent(predicate, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = readEvents().find(predicate);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no matching event in ${eventLogPath} within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      const code = await exited;
      clearTimeout(killer);
      // A given stateDir lies outside tempDir, which only ever holds the world file and the default state.
      cleanUp();
      return code;
    },
  };
}
