// `npm run bench`: transfer speed, CPU and memory of the real app against two baselines measured in the same run.
// Needs `next build` first. BENCH_SIZE_MB sets the file size (default 1024), BENCH_PARTED_MB the parted transfer's
// (default 5120; 0 skips it), BENCH_AUDIT_EVENTS the audit trail the dashboard queries are measured on (default
// 1,000,000; 0 skips it). The load test's LOAD_* settings are described in load.ts.
import { createHash, randomBytes } from "node:crypto";
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { hashBody } from "../../test/support/bytes";
import { HUGE, postHuge } from "../../test/support/huge-body";
import { runProcess } from "../../test/support/processes";
import { startPostgres } from "../../test/support/postgres";
import { startLocalS3 } from "../../test/support/s3";
import { startStack, type StackOptions } from "../../test/support/stack";
import { WebClient } from "../../test/support/web-client";
import { aesGcmFileToFile, plainHttpBaseline, sha256OfFile } from "./baselines";
import { browserHashBench } from "./browser-hash";
import { loadBench } from "./load";
import { partedTransfer } from "./parted";
import { measureProcess } from "./process-meter";

type PlainBaseline = Awaited<ReturnType<typeof plainHttpBaseline>>;

const MIB = 1024 * 1024;
const sizeMb = Number(process.env.BENCH_SIZE_MB ?? 1024);
const partedSizeMb = Number(process.env.BENCH_PARTED_MB ?? 5120);

function makeFile(path: string, bytes: number): string {
  const hash = createHash("sha256");
  const fd = openSync(path, "w");
  for (let written = 0; written < bytes; ) {
    const chunk = randomBytes(Math.min(MIB, bytes - written));
    hash.update(chunk);
    writeSync(fd, chunk);
    written += chunk.length;
  }
  closeSync(fd);
  return hash.digest("hex");
}

const mbps = (bytes: number, seconds: number) => (bytes / MIB / seconds).toFixed(1);
const mb = (bytes: number) => (bytes / MIB).toFixed(0);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "keybridge-bench-"));
  const source = join(dir, "source.bin");
  const size = sizeMb * MIB;
  console.log(`Generating a ${sizeMb} MiB file…`);
  const digest = makeFile(source, size);
  const rows: string[][] = [];
  const firstBytes: string[] = [];

  const aes = await aesGcmFileToFile(source, dir);
  rows.push(["Node AES-256-GCM, file to file", "—", mbps(size, aes.seconds), "", "", ""]);
  const hashed = await sha256OfFile(source);
  rows.push(["SHA-256 of the file (the download's digest checks' work)", "—", mbps(size, hashed.seconds), "", "", ""]);
  const plain = await plainHttpBaseline(source, dir, size);
  rows.push(["bare Node HTTP, no encryption: upload", "—", mbps(size, plain.upload.seconds), "", "", ""]);
  rows.push(["bare Node HTTP, no encryption: download", "—", mbps(size, plain.download.seconds), "", "", ""]);

  try {
    rows.push(...(await keybridgeTransfer("embedded database, local disk", {}, source, size, digest, plain, firstBytes)));
    const [postgres, s3] = await Promise.all([startPostgres(), startLocalS3()]);
    try {
      const storage = { databaseUrl: postgres.createDatabase("bench"), s3: { endpoint: s3.endpoint, bucket: s3.bucket } };
      rows.push(...(await keybridgeTransfer("PostgreSQL + S3 (local-s3)", storage, source, size, digest, plain, firstBytes)));
    } finally {
      await Promise.all([postgres.stop(), s3.stop()]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  console.log(`\nTransfer of one ${sizeMb} MiB file over loopback (server CPU s/GB and peak RSS are the app server process's)\n`);
  // The embedded database (PGlite, WebAssembly) holds ~270 MiB of the server's RSS whatever the transfer does;
  // "added" is what the transfer itself took on top of the process's RSS before it started.
  const header = ["case", "CPU s/GB", "MB/s", "peak RSS MiB", "added MiB", "vs bare HTTP"];
  const widths = header.map((title, index) => Math.max(title.length, ...rows.map((row) => (row[index] ?? "").length)));
  const line = (cells: string[]) => cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join("  ");
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  console.log("\nTime to the download's first byte (the manifest is decrypted and the first part read and checked before anything is sent):");
  for (const entry of firstBytes) console.log(`  ${entry}`);
  await browserHash();
  await preAuthenticationBodyBench();
  if (partedSizeMb > 0) await partedBench(aes.seconds / size);
  await auditDashboardBench();
  if (!(await loadBench())) process.exitCode = 1;
}

/** What the browser's hashing of every byte it sends costs, beside Node's SHA-256 of the same bytes. */
async function browserHash(): Promise<void> {
  const bytes = 1024 * MIB;
  const result = await browserHashBench(bytes);
  console.log(`\nBrowser-side SHA-256 of a ${mb(bytes)} MiB upload (each 16 MiB part on its own, and the whole file in order), Debian's Chromium`);
  console.log(`  hash-wasm in Chromium: ${mbps(bytes, result.browserSeconds)} MB/s of file; Node's SHA-256, same work: ${mbps(bytes, result.nodeSeconds)} MB/s (${((result.nodeSeconds / result.browserSeconds) * 100).toFixed(0)}%)`);
}

/** Uploads and downloads the file through one stack, measuring the app server process. */
async function keybridgeTransfer(label: string, options: StackOptions, source: string, size: number, digest: string, plain: PlainBaseline, firstBytes: string[]): Promise<string[][]> {
  const stack = await startStack(options);
  try {
    const alice = await WebClient.signedIn(stack.appUrl, "alice@acme.example");
    const bob = await WebClient.signedIn(stack.appUrl, "bob@globex.example");
    const upload = await measureProcess(stack.appPid, () =>
      alice.upload({ recipientOrg: "globex", fileName: "bench.bin", size, content: Readable.toWeb(createReadStream(source, { highWaterMark: MIB })) as ReadableStream<Uint8Array> }),
    );
    if (upload.result.status !== 200 || upload.result.body.sha256 !== digest) throw new Error(`upload failed: ${JSON.stringify(upload.result.body)}`);
    const download = await measureProcess(stack.appPid, async () => {
      const started = performance.now();
      const response = await bob.fetch(`/api/exchanges/${upload.result.body.exchangeId}/content`);
      const firstByteSeconds = (performance.now() - started) / 1000;
      return { ...(await hashBody(response)), firstByteSeconds };
    });
    if (download.result.sha256 !== digest) throw new Error("downloaded bytes differ from the upload");
    firstBytes.push(`${label}: ${download.result.firstByteSeconds.toFixed(2)} s of ${download.seconds.toFixed(2)} s`);
    const gb = size / 1024 ** 3;
    const row = (name: string, measured: typeof upload | typeof download, bare: number) => [
      `Keybridge ${name}, ${label}`,
      (measured.cpu / gb).toFixed(2),
      mbps(size, measured.seconds),
      mb(measured.peakRss),
      mb(measured.peakRss - measured.rssBefore),
      `${((bare / measured.seconds) * 100).toFixed(0)}%`,
    ];
    return [row("upload", upload, plain.upload.seconds), row("download", download, plain.download.seconds)];
  } finally {
    await stack.stop();
  }
}

/** Issue 7: a large file through parts, beside raw AES-GCM measured in this same run (seconds per byte). */
async function partedBench(aesSecondsPerByte: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "keybridge-bench-parted-"));
  const size = partedSizeMb * MIB;
  try {
    console.log(`\nGenerating a ${partedSizeMb} MiB file for the parted transfer…`);
    const source = join(dir, "parted.bin");
    const digest = makeFile(source, size);
    const result = await partedTransfer(source, size, digest);
    const gb = size / 1024 ** 3;
    console.log(`\nParted transfer of ${partedSizeMb} MiB (${result.partCount} parts of 16 MiB, 3 in flight), embedded database, local disk`);
    console.log(`  Node AES-256-GCM alone, same machine and run: ${mbps(size, aesSecondsPerByte * size)} MB/s`);
    for (const [name, measured] of [["upload", result.upload], ["download", result.download]] as const) {
      console.log(`  ${name}: ${mbps(size, measured.seconds)} MB/s, server CPU ${(measured.cpu / gb).toFixed(2)} s/GB, server peak RSS ${mb(measured.peakRss)} MiB (${mb(measured.rssBefore)} before)`);
    }
    console.log(`  KMS calls for the file content: ${result.generateDataKeyCalls} GenerateDataKey for ${result.partCount} parts and the manifest; ${result.decryptCalls} Decrypt for the download`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Issue 12: what a 256 MB body sent before signing in costs the server (refused at the server front, never buffered). */
async function preAuthenticationBodyBench(): Promise<void> {
  const stack = await startStack();
  try {
    console.log(`\nServer RSS growth for one ${HUGE / MIB} MiB POST before authentication (peak over the RSS before it)`);
    const form = { "content-type": "application/x-www-form-urlencoded" };
    for (const [name, path, declared] of [
      ["sign-in callback, Content-Length declared", "/api/auth/callback/credentials", true],
      ["sign-in callback, chunked", "/api/auth/callback/credentials", false],
      ["sign-in page as a server action, chunked", "/signin", false],
    ] as const) {
      const measured = await measureProcess(stack.appPid, () => postHuge(stack.appUrl, path, name.includes("server action") ? { ...form, "next-action": "7f".repeat(21) } : form, declared));
      console.log(`  ${name}: HTTP ${measured.result.status} after ${mb(measured.result.bytesSent)} MiB sent, RSS +${((measured.peakRss - measured.rssBefore) / MIB).toFixed(1)} MiB (${mb(measured.rssBefore)} MiB before)`);
    }
  } finally {
    await stack.stop();
  }
}

/** Seeds a throwaway embedded database with the audit trail, then times the dashboard's queries on it. */
async function auditDashboardBench(): Promise<void> {
  const events = Number(process.env.BENCH_AUDIT_EVENTS ?? 1_000_000);
  if (events <= 0) return;
  const dir = mkdtempSync(join(tmpdir(), "keybridge-bench-audit-"));
  const env: NodeJS.ProcessEnv = { ...process.env, KEYBRIDGE_DATA_DIR: dir, NEXTAUTH_SECRET: randomBytes(32).toString("base64") };
  // Always the embedded default: that is what the dashboard goal is stated for.
  delete env.DATABASE_URL;
  const tsx = (script: string, ...args: string[]) => runProcess(process.execPath, ["--conditions=react-server", "--import", "tsx", script, ...args], env);
  try {
    console.log(`\nSeeding ${events.toLocaleString("en")} audit events (a few minutes for a million)…`);
    await tsx("scripts/seed.ts");
    await tsx("scripts/seed-audit-events.ts", String(events));
    console.log(await tsx("scripts/bench/audit-dashboard.ts"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
