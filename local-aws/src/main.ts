import { join } from "node:path";
import { parseArgs } from "node:util";
import { FaultRulesError } from "./faults/rules";
import { startServer } from "./server";
import { testOnlySetup, TestOnlyFlagError, type TestOnlySetup } from "./test-only";
import { loadWorld, WorldFileError } from "./world/load";

const USAGE = `Usage: npm run local-aws -- [options]

AWS KMS and STS on one port, with SigV4 and IAM, trust and key policies enforced.

  --port N          port to listen on (default 4599; 0 picks a free one)
  --host HOST       address to bind (default 127.0.0.1)
  --world FILE      world file: accounts, users, roles, keys (default local-aws/world.example.json)
  --state DIR       keep keys, the master key and sessions' sealing key in DIR across restarts (default: in memory)
  --event-log FILE  CloudTrail-shaped JSON lines (default DIR/events.jsonl with --state, else none)
  --help            show this help

Test-only controls (for tests; never enable them in front of real data):
  --data-key-canary FILE  append every plaintext data key handed out (GenerateDataKey*, Decrypt) to FILE as hex
  --faults FILE           fault rules (JSON array) applied to KMS and STS operations from start-up
  --fault-seed N          seed the fault rules' random rolls (default: crypto random)
  --test-controls         serve the control API under /__local-aws/ (faults, expire-sessions)`;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        port: { type: "string", default: "4599" },
        host: { type: "string", default: "127.0.0.1" },
        world: { type: "string", default: "local-aws/world.example.json" },
        state: { type: "string" },
        "event-log": { type: "string" },
        "data-key-canary": { type: "string" },
        faults: { type: "string" },
        "fault-seed": { type: "string" },
        "test-controls": { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    fail(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be an integer 0..65535, not ${args.port}`);

  let world;
  try {
    world = loadWorld(args.world);
  } catch (error) {
    if (error instanceof WorldFileError) fail(error.message);
    throw error;
  }
  let testOnly: TestOnlySetup;
  try {
    testOnly = testOnlySetup({ dataKeyCanary: args["data-key-canary"], faults: args.faults, faultSeed: args["fault-seed"], testControls: args["test-controls"] });
  } catch (error) {
    if (error instanceof FaultRulesError || error instanceof TestOnlyFlagError) fail(error.message);
    throw error;
  }

  const stateDir = args.state ?? null;
  const eventLogPath = args["event-log"] ?? (stateDir ? join(stateDir, "events.jsonl") : null);
  const server = await startServer({ host: args.host, port, world, stateDir, eventLogPath, middleware: testOnly.middleware, testControls: testOnly.testControls });
  if (testOnly.enabled.length > 0) console.error(`local-aws: test-only controls on (${testOnly.enabled.join(", ")}): never run this instance in front of real data`);
  console.log(`local-aws ready on ${server.url}`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("local-aws: error while stopping:", error);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: unknown) => fail(`local-aws: ${(error as Error).message ?? String(error)}`));
