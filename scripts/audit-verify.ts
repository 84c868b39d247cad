// `npm run audit:verify`: checks the whole audit hash chain and its signed checkpoints, names the first event that
// fails, and signs a checkpoint at the end when everything verified.
// With the embedded database, stop the app first (PGlite is single-process); PostgreSQL can be checked live.
import { auditCheckpointKey } from "../lib/audit/checkpoints";
import { verifyAuditChain } from "../lib/audit/verify-chain";
import { getConfig } from "../lib/config";
import { getDatabase } from "../lib/db";

async function main(): Promise<void> {
  const db = await getDatabase();
  const result = await verifyAuditChain(db, { checkpointKey: auditCheckpointKey(getConfig().authSecret), signCheckpoint: true });
  await db.close();
  if (result.ok) {
    console.log(`audit chain OK: ${result.checked} events verified`);
    return;
  }
  console.error(`audit chain BROKEN at event #${result.firstBad?.seq}: ${result.firstBad?.problem} (${result.checked} events verified before it)`);
  process.exit(2);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
