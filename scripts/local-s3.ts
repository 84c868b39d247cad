// An S3-compatible server on loopback for tests and the multi-instance demo: s3rver, with signatures checked
// against the given key pair (the app's base credentials), so S3 calls are signed as they would be for AWS.
// Usage: tsx scripts/local-s3.ts --directory DIR --bucket NAME --access-key-id ID --secret-access-key SECRET [--port N]
import { parseArgs } from "node:util";
// s3rver ships no types; these are the two entry points used.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require("s3rver") as new (options: Record<string, unknown>) => { run(): Promise<{ address: string; port: number }>; close(): Promise<void> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AWSAccount = require("s3rver/lib/models/account") as { DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void } };

const { values } = parseArgs({
  options: {
    directory: { type: "string" },
    bucket: { type: "string" },
    "access-key-id": { type: "string" },
    "secret-access-key": { type: "string" },
    port: { type: "string", default: "0" },
  },
});
for (const name of ["directory", "bucket", "access-key-id", "secret-access-key"] as const) {
  if (!values[name]) {
    console.error(`local-s3: --${name} is required`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  AWSAccount.DUMMY_ACCOUNT.createKeyPair(values["access-key-id"] as string, values["secret-access-key"] as string);
  const server = new S3rver({ address: "127.0.0.1", port: Number(values.port), directory: values.directory, silent: true, configureBuckets: [{ name: values.bucket }], vhostBuckets: false });
  const { address, port } = await server.run();
  console.log(`local-s3 ready on http://${address}:${port}`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

void main();
