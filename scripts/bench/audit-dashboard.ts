// Audit dashboard queries against a seeded database (the embedded default unless DATABASE_URL is set):
//   KEYBRIDGE_DATA_DIR=DIR NEXTAUTH_SECRET=... node --conditions=react-server --import tsx scripts/seed-audit-events.ts
//   KEYBRIDGE_DATA_DIR=DIR NEXTAUTH_SECRET=... node --conditions=react-server --import tsx scripts/bench/audit-dashboard.ts
// Prints p50/p95 of the queries behind the dashboard's first page and filtered pages (BENCH_RUNS each, default 50),
// measured in-process: page rendering and HTTP are not included. Goal: p95 under 150 ms at 1,000,000 events.
import { performance } from "node:perf_hooks";
import type { AuditFilters } from "../../lib/audit/audit-filters";
import { auditCheckpointKey } from "../../lib/audit/checkpoints";
import { queryAuditCharts } from "../../lib/audit/audit-charts";
import { listAuditEvents } from "../../lib/audit/query-events";
import { verifyAuditChain } from "../../lib/audit/verify-chain";
import type { AuditScope } from "../../lib/audit/audit-access";
import { getConfig } from "../../lib/config";
import { getDatabase } from "../../lib/db";

const RUNS = Number(process.env.BENCH_RUNS ?? 50);
const WARMUP = 5;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function measure(run: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < WARMUP; i += 1) await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function main(): Promise<void> {
  const db = await getDatabase();
  const [{ count } = { count: 0 }] = await db.query<{ count: number }>("SELECT count(*)::int AS count FROM audit_events");
  const [alice] = await db.query<{ id: string }>("SELECT id FROM users WHERE email = 'alice@acme.example'");
  const [someExchange] = await db.query<{ target_id: string }>("SELECT target_id FROM audit_events WHERE target_type = 'exchange' ORDER BY seq DESC OFFSET 5000 LIMIT 1");
  const auditor: AuditScope = { kind: "organization", orgSlug: "acme" };
  const member: AuditScope = { kind: "own", userId: alice?.id ?? "00000000-0000-4000-8000-000000000000" };
  const page = (scope: AuditScope, filters: AuditFilters) => () => listAuditEvents(db, { scope, filters });
  const today = new Date().toISOString().slice(0, 10);
  const monthAgo = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
  const charts = (scope: AuditScope) => queryAuditCharts(db, scope, monthAgo, today);

  // A cursor 100 pages deep, to show keyset pages cost the same however far back they are.
  let deep: string | undefined;
  for (let i = 0; i < 100; i += 1) deep = (await listAuditEvents(db, { scope: auditor, filters: { after: deep } })).nextCursor ?? deep;

  const cases: Array<[string, () => Promise<unknown>]> = [
    ["first page, auditor (organization scope)", page(auditor, {})],
    ["filtered page: action=download.denied, org=globex", page(auditor, { action: "download.denied", org: "globex" })],
    ["filtered page: outcome=denied, last 7 days", page(auditor, { outcome: "denied", from: new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10) })],
    ["filtered page: one exchange", page(auditor, { exchange: someExchange?.target_id })],
    ["filtered page: search \"Bob\"", page(auditor, { q: "Bob" })],
    ["first page, member (own events)", page(member, {})],
    ["page 101 (keyset cursor)", page(auditor, { after: deep })],
    ["worst case: search that matches nothing (full scan)", page(auditor, { q: "no such person" })],
    ["charts: 30 days of daily totals + top recipients", () => charts(auditor)],
    ["chain badge (incremental verify)", () => verifyAuditChain(db, { checkpointKey: auditCheckpointKey(getConfig().authSecret), incremental: true })],
  ];
  console.log(`audit dashboard over ${count.toLocaleString("en-US")} events, ${RUNS} runs each (ms)`);
  console.log("case".padEnd(52), "p50".padStart(8), "p95".padStart(8));
  for (const [name, run] of cases) {
    const { p50, p95 } = await measure(run);
    console.log(name.padEnd(52), p50.toFixed(1).padStart(8), p95.toFixed(1).padStart(8));
  }
  await db.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
