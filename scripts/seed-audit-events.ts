// `node --conditions=react-server --import tsx scripts/seed-audit-events.ts [COUNT]`: appends COUNT (default
// 1,000,000) realistic audit events to the database under KEYBRIDGE_DATA_DIR (or DATABASE_URL), spread over the last
// 90 days, continuing the hash chain, in batched INSERTs; then signs a checkpoint at the new head. For benchmarks
// and trying the dashboard at scale; never point it at a database whose audit trail matters.
import { randomUUID } from "node:crypto";
import { auditCheckpointKey, writeCheckpoint } from "../lib/audit/checkpoints";
import { AUDIT_EVENT_COLUMNS, auditEventValues, chainedEvent, type AuditEventInput } from "../lib/audit/record";
import { getConfig } from "../lib/config";
import { getDatabase } from "../lib/db";
import { DEMO_USERS } from "./demo-users";

const BATCH = 5000;
const DAYS = 90;

// Cast per column: arrays travel as PostgreSQL array literals, since unnest() cannot take arrays of arrays.
const CASTS: Record<(typeof AUDIT_EVENT_COLUMNS)[number], string> = {
  seq: "bigint", occurred_at: "timestamptz", action: "text", outcome: "text", reason: "text", actor_user_id: "uuid", actor_display_name: "text",
  actor_org: "text", actor_role: "text", target_type: "text", target_id: "text", target_display_name: "text", party_orgs: "text[]", client_ip: "text",
  user_agent: "text", aws_request_ids: "text[]", role_session_arn: "text", details: "jsonb", prev_hash: "text", hash: "text",
};

const arrayLiteral = (items: readonly string[]) => `{${items.map((item) => `"${item.replace(/["\\]/g, "\\$&")}"`).join(",")}}`;

type Person = { userId: string; displayName: string; org: string; role: string };

/** One exchange's life in events, in order: sign-in, upload, names decrypted, download, now and then a refusal. */
function exchangeStory(sender: Person, recipient: Person, n: number): AuditEventInput[] {
  const exchange = { type: "exchange" as const, id: randomUUID() };
  const partyOrgs = [sender.org, recipient.org];
  const client = { address: `10.${n % 250}.${(n >> 8) % 250}.${n % 200}`, userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0" };
  const as = (person: Person) => ({ userId: person.userId, displayName: person.displayName, org: person.org, role: person.role });
  const aws = (count: number) => ({ requestIds: Array.from({ length: count }, () => randomUUID()), roleSessionArn: `arn:aws:sts::111111111111:assumed-role/keybridge-${sender.org}/${sender.displayName}` });
  const bytes = 1000 + ((n * 7919) % 50_000_000);
  const story: AuditEventInput[] = [
    { action: "auth.sign_in", outcome: "success", actor: as(sender), client, details: { mfa: true } },
    { action: "upload.started", outcome: "success", actor: as(sender), client, target: exchange, partyOrgs, aws: aws(2), details: { declaredBytes: bytes } },
    { action: "upload.completed", outcome: "success", actor: as(sender), client, target: exchange, partyOrgs, aws: aws(2), details: { bytes } },
    { action: "exchange.metadata_decrypted", outcome: "success", actor: as(recipient), client, target: exchange, partyOrgs, aws: aws(2), details: { exchanges: 1 } },
    { action: "download.started", outcome: "success", actor: as(recipient), client, target: exchange, partyOrgs, aws: aws(3), details: { bytes } },
    { action: "download.completed", outcome: "success", actor: as(recipient), client, target: exchange, partyOrgs, details: { bytes } },
  ];
  if (n % 5 === 0) story.push({ action: "download.denied", outcome: "denied", reason: "forbidden", actor: as(sender), client, target: exchange, partyOrgs });
  if (n % 11 === 0) story.push({ action: "auth.sign_in", outcome: "denied", reason: "invalid_credentials", actor: as(recipient), client, details: { email: "someone@example.com" } });
  return story;
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 1_000_000);
  if (!Number.isInteger(count) || count < 1) throw new Error("COUNT must be a positive integer");
  const db = await getDatabase();
  const stored = await db.query<{ id: string; display_name: string; org_slug: string; role: string }>("SELECT id, display_name, org_slug, role FROM users");
  const people: Person[] = stored.length
    ? stored.map((user) => ({ userId: user.id, displayName: user.display_name, org: user.org_slug, role: user.role }))
    : DEMO_USERS.map((user) => ({ userId: randomUUID(), displayName: user.displayName, org: user.orgSlug, role: user.role }));
  const senders = people.filter((person) => person.org === "acme" && person.role !== "auditor");
  const recipients = people.filter((person) => person.org !== "acme" && person.role === "member");
  const [head] = await db.query<{ seq: number; hash: string }>("SELECT seq, hash FROM audit_chain_head WHERE id = 1");
  if (!head) throw new Error("audit chain head is missing: run the migrations");

  // Building indexes once at the end is several times faster than updating them row by row (two are GIN).
  const indexes = await db.query<{ indexname: string; indexdef: string }>(
    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'audit_events' AND indexname <> 'audit_events_pkey'",
  );
  for (const index of indexes) await db.exec(`DROP INDEX ${index.indexname}`);

  const started = Date.now();
  const firstTime = started - DAYS * 86_400_000;
  const stepMs = (DAYS * 86_400_000 - 60_000) / count;
  const insert = `INSERT INTO audit_events (${AUDIT_EVENT_COLUMNS.join(", ")}) SELECT ${AUDIT_EVENT_COLUMNS.map((column) => (CASTS[column].endsWith("[]") || CASTS[column] === "jsonb" ? `${column}::${CASTS[column]}` : column)).join(", ")}
    FROM unnest(${AUDIT_EVENT_COLUMNS.map((column, index) => `$${index + 1}::${CASTS[column].endsWith("[]") || CASTS[column] === "jsonb" ? "text" : CASTS[column]}[]`).join(", ")}) AS t(${AUDIT_EVENT_COLUMNS.join(", ")})`;
  let previous = head;
  let story: AuditEventInput[] = [];
  let stories = 0;
  for (let done = 0; done < count; ) {
    const columns: unknown[][] = AUDIT_EVENT_COLUMNS.map(() => []);
    const size = Math.min(BATCH, count - done);
    for (let i = 0; i < size; i += 1) {
      if (story.length === 0) {
        stories += 1;
        story = exchangeStory(senders[stories % senders.length] as Person, recipients[stories % recipients.length] as Person, stories);
      }
      const input = story.shift() as AuditEventInput;
      const { fields, hash } = chainedEvent(previous, input, new Date(Math.floor(firstTime + (done + i) * stepMs)));
      auditEventValues(fields, hash).forEach((value, column) => columns[column]?.push(Array.isArray(value) ? arrayLiteral(value as string[]) : value));
      previous = { seq: fields.seq, hash };
    }
    await db.transaction(async (tx) => {
      await tx.query(insert, columns);
      await tx.query("UPDATE audit_chain_head SET seq = $1, hash = $2 WHERE id = 1", [previous.seq, previous.hash]);
    });
    done += size;
    if (done % 100_000 < BATCH) console.log(`${done.toLocaleString("en-US")} events (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  console.log(`rebuilding ${indexes.length} indexes…`);
  for (const index of indexes) await db.exec(index.indexdef);
  await writeCheckpoint(db, auditCheckpointKey(getConfig().authSecret), previous.seq, previous.hash);
  await db.exec("ANALYZE audit_events");
  await db.close();
  console.log(`seeded ${count.toLocaleString("en-US")} audit events in ${((Date.now() - started) / 1000).toFixed(1)} s; head #${previous.seq}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
