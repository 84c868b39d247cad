// Per-member cap on unfinished uploads (issue 12): 200 × 5 GiB uploads could be declared in seconds. Bursts of 100
// parallel creations end exactly at the cap, in number and in declared bytes, on PGlite and on PostgreSQL.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { startPostgres, type PostgresServer } from "../support/postgres";
import { startStack, type DemoConfig, type Stack } from "../support/stack";
import { WebClient } from "../support/web-client";

const MAX_UPLOADS = 7;
const GIB = 1024 ** 3;
const MAX_BYTES = 6 * GIB;
const BURST = 100;

const configure = (config: DemoConfig) => {
  config.uploads = { maxUnfinishedPerMember: MAX_UPLOADS, maxUnfinishedBytesPerMember: MAX_BYTES };
};

interface Created {
  status: number;
  body: { exchangeId?: string; error?: { code: string; message: string } };
}

async function create(client: WebClient, size: number): Promise<Created> {
  const response = await client.fetch("/api/uploads", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ recipientOrg: "globex", fileName: "quota.bin", size }),
  });
  return { status: response.status, body: (await response.json()) as Created["body"] };
}

async function burst(client: WebClient, size: number): Promise<{ accepted: Created[]; refused: Created[] }> {
  const results = await Promise.all(Array.from({ length: BURST }, () => create(client, size)));
  const unexpected = results.filter((result) => result.status !== 201 && result.status !== 409);
  assert.deepEqual(unexpected, [], "every answer is a creation or the quota refusal");
  return { accepted: results.filter((result) => result.status === 201), refused: results.filter((result) => result.status === 409) };
}

function quotaTests(name: string, setUp: () => Promise<Stack>, unfinishedInDatabase?: (email: string) => number) {
  describe(name, () => {
    let stack: Stack;
    let alice: WebClient;
    let adam: WebClient;

    before(async () => {
      stack = await setUp();
      [alice, adam] = await Promise.all([WebClient.signedIn(stack.appUrl, "alice@acme.example"), WebClient.signedIn(stack.appUrl, "adam@acme.example")]);
    });

    after(async () => {
      await stack?.stop();
    });

    test(`${BURST} parallel small uploads by one member: exactly ${MAX_UPLOADS} start, the rest are told to finish or discard`, async () => {
      const { accepted, refused } = await burst(alice, 1024);
      console.log(`# ${name}: ${accepted.length} of ${BURST} started (cap ${MAX_UPLOADS})`);
      assert.equal(accepted.length, MAX_UPLOADS);
      for (const result of refused) {
        assert.equal(result.body.error?.code, "upload_quota_exceeded");
        assert.match(result.body.error?.message ?? "", /Finish or discard your incomplete uploads/);
      }
      if (unfinishedInDatabase) assert.equal(unfinishedInDatabase("alice@acme.example"), MAX_UPLOADS);

      // Discarding one frees one place, and only one.
      const discarded = await alice.fetch(`/api/uploads/${accepted[0]?.body.exchangeId}`, { method: "DELETE", headers: { origin: stack.appUrl } });
      assert.equal(discarded.status, 204);
      const again = await burst(alice, 1024);
      assert.equal(again.accepted.length, 1);
    });

    test(`${BURST} parallel 1 GiB uploads by another member: no more than ${MAX_BYTES / GIB} GiB declared in total`, async () => {
      const { accepted, refused } = await burst(adam, GIB);
      console.log(`# ${name}: ${accepted.length} of ${BURST} 1 GiB uploads started (cap ${MAX_BYTES / GIB} GiB)`);
      assert.equal(accepted.length, MAX_BYTES / GIB, "the byte cap, not the count cap, stops this burst");
      assert.match(refused[0]?.body.error?.message ?? "", /add up to 6\.0 GB/);
      if (unfinishedInDatabase) assert.equal(unfinishedInDatabase("adam@acme.example"), MAX_BYTES / GIB);
      // A small file still fits under the count cap but not under the byte cap.
      assert.equal((await create(adam, 1)).status, 409);
    });
  });
}

quotaTests("embedded database", () => startStack({ configure }));

let postgres: PostgresServer | undefined;
let databaseUrl = "";
after(async () => {
  await postgres?.stop();
});
quotaTests(
  "PostgreSQL",
  async () => {
    postgres = await startPostgres();
    databaseUrl = postgres.createDatabase("quota");
    return startStack({ configure, databaseUrl });
  },
  (email) =>
    Number(
      execFileSync("psql", [databaseUrl, "-At", "-c", `SELECT count(*) FROM exchanges e JOIN users u ON u.id = e.sender_user_id WHERE u.email = '${email}' AND e.status <> 'available'`], { encoding: "utf8" }).trim(),
    ),
);
