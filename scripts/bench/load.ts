// `npm run bench:load`: N concurrent clients upload and download random files through the production build on
// loopback for D seconds, verify every downloaded byte, then check the audit trail recorded each transfer and that
// its hash chain verifies. LOAD_CLIENTS (default 50), LOAD_SECONDS (60), LOAD_MIN_MB (1) and LOAD_MAX_MB (10).
// Needs `next build` first.
import { generatedStream, hashBody } from "../../test/support/bytes";
import { startStack } from "../../test/support/stack";
import { WebClient } from "../../test/support/web-client";

const MIB = 1024 * 1024;

export interface LoadOptions {
  appUrl: string;
  clients: number;
  seconds: number;
  minBytes: number;
  maxBytes: number;
}

export interface LoadResult {
  transfers: number;
  bytes: number;
  seconds: number;
  errors: string[];
  /** Transfers whose downloaded bytes matched the upload's sha256 and size. */
  verified: number;
  uploadMs: number[];
  downloadMs: number[];
  exchangeIds: string[];
  /** Transfers with no upload.completed or no download.completed event (by exchange id). */
  missingAuditEvents: string[];
  chainIntact: boolean;
}

/** One sender and one recipient session shared by every client: sign-in (and its rate limits) happens once each. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const [sender, recipient, auditor] = await Promise.all([
    WebClient.signedIn(options.appUrl, "alice@acme.example"),
    WebClient.signedIn(options.appUrl, "bob@globex.example"),
    WebClient.signedIn(options.appUrl, "adam@acme.example"),
  ]);
  const result: LoadResult = { transfers: 0, bytes: 0, seconds: 0, errors: [], verified: 0, uploadMs: [], downloadMs: [], exchangeIds: [], missingAuditEvents: [], chainIntact: false };
  const started = performance.now();
  const end = started + options.seconds * 1000;

  async function transfer(client: number, index: number): Promise<void> {
    const size = options.minBytes + Math.floor(Math.random() * (options.maxBytes - options.minBytes + 1));
    const { stream, digest } = generatedStream(size);
    const uploadStart = performance.now();
    const uploaded = await sender.upload({ recipientOrg: "globex", fileName: `load-${client}-${index}.bin`, content: stream, size });
    if (uploaded.status !== 200 || !uploaded.exchangeId) throw new Error(`upload ${uploaded.status}: ${JSON.stringify(uploaded.body)}`);
    result.uploadMs.push(performance.now() - uploadStart);
    const downloadStart = performance.now();
    const response = await recipient.fetch(`/api/exchanges/${uploaded.exchangeId}/content`);
    if (response.status !== 200) throw new Error(`download ${response.status}: ${await response.text()}`);
    const received = await hashBody(response);
    result.downloadMs.push(performance.now() - downloadStart);
    result.exchangeIds.push(uploaded.exchangeId);
    if (received.bytes !== size || received.sha256 !== (await digest)) throw new Error(`download of ${uploaded.exchangeId}: ${received.bytes} bytes, not the ${size} uploaded, or different content`);
    result.verified += 1;
    result.bytes += 2 * size;
  }

  await Promise.all(
    Array.from({ length: options.clients }, async (_, client) => {
      for (let index = 0; performance.now() < end; index++) {
        result.transfers += 1;
        await transfer(client, index).catch((error: unknown) => result.errors.push(error instanceof Error ? error.message : String(error)));
      }
    }),
  );
  result.seconds = (performance.now() - started) / 1000;

  const exported = await auditor.fetch("/api/audit/export?format=jsonl");
  const events = (await exported.text())
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { action: string; outcome: string; targetId: string | null });
  const recorded = (action: string) => new Set(events.filter((event) => event.action === action && event.outcome === "success").map((event) => event.targetId));
  const [uploads, downloads] = [recorded("upload.completed"), recorded("download.completed")];
  result.missingAuditEvents = result.exchangeIds.filter((id) => !uploads.has(id) || !downloads.has(id));
  const dashboard = await (await auditor.fetch("/audit")).text();
  result.chainIntact = /data-testid="chain-badge" data-state="ok"/.test(dashboard);
  return result;
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? NaN;
}

export function loadReport(options: LoadOptions, result: LoadResult): string {
  const latency = (name: string, values: number[]) =>
    `  ${name} latency ms: p50 ${percentile(values, 0.5).toFixed(0)}, p95 ${percentile(values, 0.95).toFixed(0)}, p99 ${percentile(values, 0.99).toFixed(0)}`;
  return [
    `Load: ${options.clients} clients × ${options.seconds} s, files of ${(options.minBytes / MIB).toFixed(1)}–${(options.maxBytes / MIB).toFixed(1)} MiB (upload then download each)`,
    `  transfers: ${result.transfers} started, ${result.verified} verified byte for byte, ${result.errors.length} errors`,
    `  throughput: ${(result.verified / result.seconds).toFixed(2)} transfers/s, ${(result.bytes / MIB / result.seconds).toFixed(1)} MiB/s (upload + download bytes) over ${result.seconds.toFixed(1)} s`,
    latency("upload", result.uploadMs),
    latency("download", result.downloadMs),
    `  audit: ${result.exchangeIds.length - result.missingAuditEvents.length} of ${result.exchangeIds.length} transfers have upload.completed and download.completed; chain ${result.chainIntact ? "verifies" : "DOES NOT verify"}`,
    ...result.errors.slice(0, 5).map((error) => `  error: ${error}`),
  ].join("\n");
}

/** Starts a stack, runs the load configured by LOAD_* variables, prints the figures; false if anything was wrong. */
export async function loadBench(): Promise<boolean> {
  const options = {
    clients: Number(process.env.LOAD_CLIENTS ?? 50),
    seconds: Number(process.env.LOAD_SECONDS ?? 60),
    minBytes: Number(process.env.LOAD_MIN_MB ?? 1) * MIB,
    maxBytes: Number(process.env.LOAD_MAX_MB ?? 10) * MIB,
  };
  const stack = await startStack();
  try {
    const result = await runLoad({ ...options, appUrl: stack.appUrl });
    console.log(`\n${loadReport({ ...options, appUrl: stack.appUrl }, result)}`);
    return result.errors.length === 0 && result.missingAuditEvents.length === 0 && result.chainIntact;
  } finally {
    await stack.stop();
  }
}

if (require.main === module) {
  loadBench().then(
    (ok) => (process.exitCode = ok ? 0 : 1),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
