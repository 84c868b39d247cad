import { readFileSync } from "node:fs";

const CLOCK_TICKS = 100;

/** CPU seconds (user + system) a process has used so far, from /proc. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

export function rssBytes(pid: number): number {
  const match = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB/m);
  return Number(match?.[1] ?? 0) * 1024;
}

/** Samples a process's RSS every 50 ms while `work` runs; returns the RSS before, the peak seen and the CPU seconds used. */
export async function measureProcess<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; peakRss: number; rssBefore: number; cpu: number; seconds: number }> {
  const rssBefore = rssBytes(pid);
  let peakRss = rssBefore;
  const timer = setInterval(() => (peakRss = Math.max(peakRss, rssBytes(pid))), 50);
  const cpuBefore = cpuSeconds(pid);
  const started = process.hrtime.bigint();
  try {
    const result = await work();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    peakRss = Math.max(peakRss, rssBytes(pid));
    return { result, peakRss, rssBefore, cpu: cpuSeconds(pid) - cpuBefore, seconds };
  } finally {
    clearInterval(timer);
  }
}
