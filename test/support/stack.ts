import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort, runProcess, startProcess, type RunningProcess } from "./processes";

const ROOT = resolve(__dirname, "../..");
export const APP_ACCESS_KEY_ID = "AKIAKEYBRIDGEAPP0001";
export const APP_SECRET_ACCESS_KEY = "keybridge/local/app/secret/not-for-production";
export const REGION = "eu-west-1";
export const EXCHANGE_KEY_ARN = "arn:aws:kms:eu-west-1:111111111111:key/9d3e8a51-6b7c-4f2e-a1d4-5c6b7e8f9a01";

export interface DemoConfig {
  aws: { region: string; endpoint?: string; exchangeKeyArn: string };
  organizations: Array<{ slug: string; uploadNetworks?: string[]; sendsTo?: string[]; [key: string]: unknown }>;
  [key: string]: unknown;
}

export interface StackOptions {
  /** Edits a copy of config/keybridge.demo.json for this stack. */
  configure?: (config: DemoConfig) => void;
  env?: Record<string, string>;
  /** PostgreSQL instead of the embedded database (see postgres.ts). */
  databaseUrl?: string;
  /** S3 instead of local disk for blobs (see s3.ts). */
  s3?: { endpoint: string; bucket: string };
  /** App instances sharing local-aws, the database and the blob store, on ports of their own (needs databaseUrl). */
  instances?: number;
  /** Extra local-aws flags, e.g. its test-only fault injection or data-key canary. */
  localAwsArgs?: string[];
}

export interface Stack {
  appUrl: string;
  /** Every instance's URL; appUrls[0] is appUrl. */
  appUrls: string[];
  localAwsUrl: string;
  dataDir: string;
  eventLogPath: string;
  /** The local-aws event log, one parsed CloudTrail-shaped record per line. */
  awsEvents(): Array<Record<string, any>>;
  appOutput(): string;
  appPid: number;
  /** The first instance's environment, for tools run beside it (audit:verify). */
  appEnv: NodeJS.ProcessEnv;
  /** Kills the first instance with SIGKILL, as a crash or an OOM killer would, and waits for it to be gone. */
  killApp(): Promise<void>;
  /** Starts the first instance again on the same port, database and blob store. */
  restartApp(): Promise<void>;
  stop(): Promise<void>;
}

/** Refuses anything but loopback: tests must never reach a real AWS endpoint or a shared database. */
function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (host !== "127.0.0.1" && host !== "localhost" && host !== "[::1]") throw new Error(`tests only run against loopback endpoints, not ${url}`);
}

/**
 * A whole Keybridge on loopback with its own temp data: local-aws (real KMS/STS wire protocols, real policies),
 * the seeded embedded database, and the production build behind server.ts. Needs `next build` to have run.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const instances = options.instances ?? 1;
  if (instances > 1 && !options.databaseUrl) throw new Error("several instances need a shared PostgreSQL database (databaseUrl)");
  const dir = mkdtempSync(join(tmpdir(), "keybridge-stack-"));
  const dataDir = join(dir, "data");
  const stateDir = join(dir, "local-aws");
  const eventLogPath = join(stateDir, "events.jsonl");
  const running: RunningProcess[] = [];
  try {
    const localAws = await startProcess(process.execPath, ["--import", "tsx", "local-aws/src/main.ts", "--port", "0", "--state", stateDir, "--event-log", eventLogPath, ...(options.localAwsArgs ?? [])], {
      cwd: ROOT,
      env: { ...process.env },
      ready: /local-aws ready on (http:\/\/\S+)/,
    });
    running.push(localAws);
    const localAwsUrl = localAws.match[1] as string;
    assertLoopback(localAwsUrl);

    const config = JSON.parse(readFileSync(join(ROOT, "config/keybridge.demo.json"), "utf8")) as DemoConfig;
    config.aws.endpoint = localAwsUrl;
    options.configure?.(config);
    const configPath = join(dir, "keybridge.json");
    writeFileSync(configPath, JSON.stringify(config, null, 2));

    const ports = await Promise.all(Array.from({ length: instances }, () => freePort()));
    const appUrls = ports.map((port) => `http://127.0.0.1:${port}`);
    const appUrl = appUrls[0] as string;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      ...(process.env.KEYBRIDGE_DIST_DIR ? { KEYBRIDGE_DIST_DIR: process.env.KEYBRIDGE_DIST_DIR } : {}),
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      ...(options.s3 ? { S3_BUCKET: options.s3.bucket, S3_ENDPOINT: options.s3.endpoint, S3_FORCE_PATH_STYLE: "true" } : {}),
      HOME: process.env.HOME,
      KEYBRIDGE_CONFIG: configPath,
      KEYBRIDGE_DATA_DIR: dataDir,
      NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
      NEXTAUTH_URL: appUrl,
      AWS_ACCESS_KEY_ID: APP_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: APP_SECRET_ACCESS_KEY,
      AWS_REGION: REGION,
      AWS_EC2_METADATA_DISABLED: "true",
      PORT: String(ports[0]),
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      ...options.env,
    };
    await runProcess(process.execPath, ["--conditions=react-server", "--import", "tsx", join(ROOT, "scripts/seed.ts")], env);
    // One after another: each runs the migrations under the advisory lock before it answers.
    const instanceEnv = (index: number): NodeJS.ProcessEnv => ({ ...env, PORT: String(ports[index]), NEXTAUTH_URL: options.env?.NEXTAUTH_URL ?? appUrls[index] });
    const startApp = async (index: number) => {
      const started = await startProcess(process.execPath, ["--import", "tsx", "server.ts"], { cwd: ROOT, env: instanceEnv(index), ready: /keybridge ready on/ });
      running.push(started);
      return started;
    };
    const apps: RunningProcess[] = [];
    for (const index of ports.keys()) apps.push(await startApp(index));
    let app = apps[0] as RunningProcess;

    return {
      appUrl,
      appUrls,
      localAwsUrl,
      dataDir,
      eventLogPath,
      awsEvents: () =>
        // local-aws appends while this reads: only lines that have their newline are whole.
        readFileSync(eventLogPath, "utf8")
          .split("\n")
          .slice(0, -1)
          .filter(Boolean)
          .map((line) => JSON.parse(line) as Record<string, any>),
      appOutput: () => app.output(),
      get appPid() {
        return app.child.pid ?? 0;
      },
      appEnv: instanceEnv(0),
      async killApp() {
        if (app.child.exitCode !== null || app.child.signalCode !== null) return;
        const exited = new Promise((resolve) => app.child.once("exit", resolve));
        app.child.kill("SIGKILL");
        await exited;
      },
      async restartApp() {
        app = await startApp(0);
      },
      async stop() {
        await Promise.all(running.map((process) => process.stop()));
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.all(running.map((process) => process.stop()));
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
