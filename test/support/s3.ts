import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startProcess } from "./processes";
import { APP_ACCESS_KEY_ID, APP_SECRET_ACCESS_KEY } from "./stack";

const ROOT = resolve(__dirname, "../..");

export interface LocalS3 {
  endpoint: string;
  bucket: string;
  /** Keys of the objects stored in the bucket, straight from the server's directory. */
  objectKeys(): string[];
  stop(): Promise<void>;
}

/** scripts/local-s3.ts on a free loopback port, checking signatures made with the app's base credentials. */
export async function startLocalS3(bucket = "keybridge-blobs"): Promise<LocalS3> {
  const dir = mkdtempSync(join(tmpdir(), "keybridge-s3-"));
  const server = await startProcess(
    process.execPath,
    ["--import", "tsx", "scripts/local-s3.ts", "--directory", dir, "--bucket", bucket, "--access-key-id", APP_ACCESS_KEY_ID, "--secret-access-key", APP_SECRET_ACCESS_KEY],
    { cwd: ROOT, env: { ...process.env }, ready: /local-s3 ready on (http:\/\/\S+)/ },
  );
  return {
    endpoint: server.match[1] as string,
    bucket,
    objectKeys: () =>
      readdirSync(join(dir, bucket), { recursive: true, encoding: "utf8" })
        .filter((path) => path.endsWith("._S3rver_object"))
        .map((path) => path.replace(/\._S3rver_object$/, "")),
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
