import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./processes";

const BIN = "/usr/lib/postgresql/15/bin";

export interface PostgresServer {
  /** A fresh, empty database on this server for one test stack. */
  createDatabase(name: string): string;
  stop(): Promise<void>;
}

/** PostgreSQL refuses to run as root; when tests run as root the cluster runs as the `postgres` system user. */
function asServerUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
}

/** A throwaway PostgreSQL 15 cluster on loopback, trusting local connections, removed on stop. */
export async function startPostgres(): Promise<PostgresServer> {
  const dir = mkdtempSync(join(tmpdir(), "keybridge-pg-"));
  chmodSync(dir, 0o777);
  const dataDir = join(dir, "data");
  const port = await freePort();
  const [initCommand, initArgs] = asServerUser(join(BIN, "initdb"), ["-D", dataDir, "-U", "keybridge", "--auth=trust", "--no-sync", "-E", "UTF8"]);
  execFileSync(initCommand, initArgs, { stdio: "pipe" });
  const [command, args] = asServerUser(join(BIN, "postgres"), ["-D", dataDir, "-p", String(port), "-k", dir, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"]);
  const server: ChildProcess = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("ready to accept connections")) resolve();
    };
    server.stdout?.on("data", onData);
    server.stderr?.on("data", onData);
    server.once("exit", (code) => reject(new Error(`postgres exited with ${code}:\n${output}`)));
  });
  const psql = (sql: string) => execFileSync(join(BIN, "psql"), ["-h", "127.0.0.1", "-p", String(port), "-U", "keybridge", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", sql], { stdio: "pipe" });
  return {
    createDatabase(name) {
      psql(`CREATE DATABASE "${name}"`);
      return `postgres://keybridge@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      // runuser does not pass signals on, so the server is asked to stop the way its own tools do.
      const exited = new Promise<void>((resolve) => (server.exitCode !== null ? resolve() : server.once("exit", () => resolve())));
      const [stopCommand, stopArgs] = asServerUser(join(BIN, "pg_ctl"), ["stop", "-D", dataDir, "-m", "fast", "-w"]);
      execFileSync(stopCommand, stopArgs, { stdio: "pipe" });
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The unaligned, tuples-only output of one statement run by the system's psql against `databaseUrl`. */
export function psqlOutput(databaseUrl: string, sql: string): string {
  return execFileSync("psql", [databaseUrl, "-At", "-c", sql], { encoding: "utf8" }).trim();
}
