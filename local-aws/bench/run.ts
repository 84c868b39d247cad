// npm run bench:local-aws — GenerateDataKey and Decrypt as the Acme uploader role, over keep-alive HTTP on loopback,
// with 1 and 16 concurrent clients. Prints ops/s and p50/p99 latency per case.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { sessionCredentials, stsClient } from "../test/support/clients";
import { APP, EXCHANGE_KEY_ARN, REGION, ROLES } from "../test/support/demo-world";
import { startLocalAws } from "../test/support/start-local-aws";
import { KmsHttpClient, type SessionCredentials } from "./kms-http";

const SECONDS_PER_CASE = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = [1, 16];

interface CaseResult {
  name: string;
  clients: number;
  ops: number;
  seconds: number;
  latenciesMs: number[];
  /** CPU time local-aws spent per operation, which unlike ops/s does not depend on what else the machine runs. */
  serverCpuUsPerOp: number | null;
}

/** User + system CPU time of a process in microseconds, from /proc (Linux); null where that is not available. */
function cpuMicros(pid: number | null): number | null {
  if (!pid) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
  } catch {
    return null;
  }
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** Runs `op` on each client in a loop for a fixed time; every client waits for its reply before its next request. */
async function runCase(name: string, clients: KmsHttpClient[], serverPid: number | null, op: (client: KmsHttpClient) => Promise<unknown>): Promise<CaseResult> {
  const latenciesMs: number[] = [];
  const cpuBefore = cpuMicros(serverPid);
  const started = performance.now();
  const deadline = started + SECONDS_PER_CASE * 1000;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await op(client);
        latenciesMs.push(performance.now() - t0);
      }
    }),
  );
  const cpuAfter = cpuMicros(serverPid);
  const serverCpuUsPerOp = cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / latenciesMs.length;
  return { name, clients: clients.length, ops: latenciesMs.length, seconds: (performance.now() - started) / 1000, latenciesMs, serverCpuUsPerOp };
}

async function main(): Promise<void> {
  // LOCAL_AWS_URL benchmarks an already running local-aws (e.g. one started under --cpu-prof) instead of a fresh one.
  const running = process.env.LOCAL_AWS_URL;
  const aws = running ? { url: running, pid: null, stop: async () => null } : await startLocalAws();
  try {
    const assumed = await stsClient(aws.url, APP).send(
      new AssumeRoleCommand({ RoleArn: ROLES.acme.arn, RoleSessionName: "bench", ExternalId: ROLES.acme.externalId, Tags: [{ Key: "kb-org", Value: "acme" }] }),
    );
    const credentials = sessionCredentials(assumed) as SessionCredentials;
    // One connection per benchmark client, as separate app processes would hold.
    const kms = Array.from({ length: Math.max(...CONCURRENCY) }, () => new KmsHttpClient(aws.url, REGION, credentials));
    const base = { "exchange-id": "ex-bench", "sender-org": "acme", "recipient-org": "globex" };
    const fileContext = { ...base, purpose: "file-content" };
    const metadataContext = { ...base, purpose: "metadata" };
    // The uploader may decrypt only metadata ciphertexts of its own exchanges (see the key policy).
    const { CiphertextBlob } = await (kms[0] as KmsHttpClient).call("Encrypt", {
      KeyId: EXCHANGE_KEY_ARN,
      Plaintext: Buffer.from("report.pdf").toString("base64"),
      EncryptionContext: metadataContext,
    });

    const results: CaseResult[] = [];
    for (const clients of CONCURRENCY) {
      results.push(await runCase("GenerateDataKey", kms.slice(0, clients), aws.pid, (c) => c.call("GenerateDataKey", { KeyId: EXCHANGE_KEY_ARN, KeySpec: "AES_256", EncryptionContext: fileContext })));
      results.push(await runCase("Decrypt", kms.slice(0, clients), aws.pid, (c) => c.call("Decrypt", { CiphertextBlob, EncryptionContext: metadataContext })));
    }

    console.log(`local-aws ${aws.url}, ${SECONDS_PER_CASE} s per case, one keep-alive connection per client, Acme uploader role session`);
    console.log("operation        clients     ops/s   p50 ms   p99 ms   server CPU µs/op");
    for (const r of results) {
      const sorted = [...r.latenciesMs].sort((a, b) => a - b);
      console.log(
        `${r.name.padEnd(16)} ${String(r.clients).padStart(7)} ${(r.ops / r.seconds).toFixed(0).padStart(9)} ${percentile(sorted, 50).toFixed(2).padStart(8)} ${percentile(sorted, 99).toFixed(2).padStart(8)} ${(r.serverCpuUsPerOp === null ? "n/a" : r.serverCpuUsPerOp.toFixed(0)).padStart(18)}`,
      );
    }
    for (const client of kms) client.close();
  } finally {
    await aws.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
