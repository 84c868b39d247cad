import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, before, test } from "node:test";
import { buildClient, CommitmentPolicy, KmsKeyringNode } from "@aws-crypto/client-node";
import { KMS } from "@aws-sdk/client-kms";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { hashBody, sha256, waitFor } from "../support/bytes";
import { APP_ACCESS_KEY_ID, APP_SECRET_ACCESS_KEY, EXCHANGE_KEY_ARN, REGION, startStack, type Stack } from "../support/stack";
import { WebClient } from "../support/web-client";

interface LinkListBody {
  links: Array<{ id: string; status: string; completedDownloads: number; downloads: Array<{ who: string; state: string; from: string | null }> }>;
}

let stack: Stack;
let alice: WebClient;
let bob: WebClient;
let gina: WebClient;
let ivan: WebClient;
let exchangeId: string;
const content = randomBytes(64 * 1024 + 7);

before(async () => {
  stack = await startStack({
    configure: (config) => {
      const acme = config.organizations.find((org) => org.slug === "acme");
      if (acme) acme.sendsTo = ["globex", "initech"];
    },
  });
  [alice, bob, gina, ivan] = await Promise.all([
    WebClient.signedIn(stack.appUrl, "alice@acme.example"),
    WebClient.signedIn(stack.appUrl, "bob@globex.example"),
    WebClient.signedIn(stack.appUrl, "gina@globex.example"),
    WebClient.signedIn(stack.appUrl, "ivan@initech.example"),
  ]);
  const uploaded = await alice.upload({ recipientOrg: "globex", fileName: "contract.pdf", content, size: content.length });
  assert.equal(uploaded.status, 200, JSON.stringify(uploaded.body));
  exchangeId = uploaded.body.exchangeId as string;
});

after(async () => {
  await stack?.stop();
});

async function createLink(options: Record<string, unknown> = {}, id = exchangeId): Promise<{ linkId: string; token: string; expiresAt: string }> {
  const response = await alice.fetch(`/api/exchanges/${id}/links`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(options) });
  assert.equal(response.status, 201, (await response.clone().text()).slice(0, 300));
  return (await response.json()) as { linkId: string; token: string; expiresAt: string };
}

async function linkOf(linkId: string) {
  const body = (await (await alice.fetch(`/api/exchanges/${exchangeId}/links`)).json()) as LinkListBody;
  return body.links.find((link) => link.id === linkId);
}

async function userIdOf(email: string): Promise<string> {
  // The sender's form lists the recipient org's people; the page renders their ids as checkbox values.
  const html = await (await alice.fetch(`/exchanges/${exchangeId}`)).text();
  const match = new RegExp(`data-email="${email.replace(/\./g, "\\.")}" name="recipientUserIds" value="([0-9a-f-]{36})"`).exec(html);
  if (match?.[1]) return match[1];
  throw new Error(`no recipient id for ${email}`);
}

const expectedNotFound = async (response: Response) => {
  assert.equal(response.status, 404);
  return (await response.json()) as unknown;
};

test("a link is a 256-bit token; the default expiry is 7 days and at most 90 are accepted", async () => {
  const created = await createLink();
  assert.match(created.token, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(Buffer.from(created.token, "base64url").byteLength, 32);
  const days = (Date.parse(created.expiresAt) - Date.now()) / 86_400_000;
  assert.ok(days > 6.99 && days <= 7, `expires in ${days} days`);
  const tooLong = await alice.fetch(`/api/exchanges/${exchangeId}/links`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ expiresInDays: 91 }) });
  assert.equal(tooLong.status, 400);
  // The token itself is stored nowhere: the database holds its SHA-256 only (checked in the unit test of link-token);
  // here, a token one character off opens nothing.
  const flipped = `${created.token.slice(0, -1)}${created.token.endsWith("A") ? "B" : "A"}`;
  await expectedNotFound(await bob.fetch(`/api/links/${flipped}/content`));
});

test("the recipient downloads through the link byte for byte, and the sender sees the receipt", async () => {
  const { linkId, token } = await createLink({ note: "Signed copy, see page 3" });
  const page = await (await bob.fetch(`/l/${token}`)).text();
  assert.match(page, /contract\.pdf/);
  assert.match(page, /Signed copy, see page 3/);
  const response = await bob.fetch(`/api/links/${token}/content`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-length"), String(content.length));
  assert.deepEqual(await hashBody(response), { bytes: content.length, sha256: sha256(content) });
  const link = await waitFor(async () => {
    const current = await linkOf(linkId);
    return current?.completedDownloads === 1 ? current : undefined;
  }, "the completed download counted");
  assert.deepEqual(
    link.downloads.map((download) => [download.who, download.state]),
    [["Bob Brennan", "completed"]],
  );
});

test("people the link is not addressed to get exactly the answer of a link that does not exist", async () => {
  const { token } = await createLink({ recipientUserIds: [await userIdOf("bob@globex.example")] });
  const missing = await expectedNotFound(await gina.fetch(`/api/links/${randomBytes(32).toString("base64url")}/content`));
  for (const client of [gina, ivan, alice]) assert.deepEqual(await expectedNotFound(await client.fetch(`/api/links/${token}/content`)), missing);
  const notFoundPage = await gina.fetch(`/l/${token}`);
  assert.equal(notFoundPage.status, 404);
  assert.doesNotMatch(await notFoundPage.text(), /contract\.pdf/);
  assert.equal((await bob.fetch(`/api/links/${token}/content`)).status, 200);
});

test("20 concurrent downloads against a limit of 3 give exactly 3 complete files", async () => {
  const { linkId, token } = await createLink({ maxDownloads: 3 });
  const results = await Promise.all(
    Array.from({ length: 20 }, async () => {
      const response = await bob.fetch(`/api/links/${token}/content`);
      if (response.status !== 200) return { status: response.status, code: ((await response.json()) as { error: { code: string } }).error.code };
      const body = await hashBody(response);
      return { status: 200, code: body.sha256 === sha256(content) && body.bytes === content.length ? "complete" : "short" };
    }),
  );
  assert.equal(results.filter((result) => result.code === "complete").length, 3, JSON.stringify(results));
  assert.deepEqual(new Set(results.filter((result) => result.status !== 200).map((result) => `${result.status} ${result.code}`)), new Set(["410 link_used_up"]));
  const link = await waitFor(async () => {
    const current = await linkOf(linkId);
    return current?.completedDownloads === 3 && current.downloads.every((download) => download.state === "completed") ? current : undefined;
  }, "three completed downloads");
  assert.equal(link.status, "used_up");
  assert.match(await (await bob.fetch(`/l/${token}`)).text(), /data-testid="link-used-up"/);
});

test("a download cut off half-way gives its slot back", async () => {
  // Larger than the socket buffers on both ends together (several MiB on loopback): a smaller file can be written in
  // full before the client's abort arrives, and then the server rightly counts the download as complete.
  const big = randomBytes(40 * 1024 * 1024);
  const uploaded = await alice.upload({ recipientOrg: "globex", fileName: "big.bin", content: big, size: big.length });
  assert.equal(uploaded.status, 200);
  const response = await alice.fetch(`/api/exchanges/${uploaded.body.exchangeId}/links`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ maxDownloads: 1 }) });
  const { linkId, token } = (await response.json()) as { linkId: string; token: string };
  const cut = new AbortController();
  const partial = await bob.fetch(`/api/links/${token}/content`, { signal: cut.signal });
  assert.equal(partial.status, 200);
  const reader = (partial.body as ReadableStream<Uint8Array>).getReader();
  await reader.read();
  cut.abort();
  await reader.cancel().catch(() => undefined);
  const linkList = async () => ((await (await alice.fetch(`/api/exchanges/${uploaded.body.exchangeId}/links`)).json()) as LinkListBody).links.find((link) => link.id === linkId);
  await waitFor(async () => ((await linkList())?.downloads.some((download) => download.state === "failed") ? true : undefined), "the cut-off download recorded as failed");
  const full = await bob.fetch(`/api/links/${token}/content`);
  assert.equal(full.status, 200);
  assert.deepEqual(await hashBody(full), { bytes: big.length, sha256: sha256(big) });
  await waitFor(async () => ((await linkList())?.completedDownloads === 1 ? true : undefined), "the full download counted");
  assert.equal((await bob.fetch(`/api/links/${token}/content`)).status, 410);
});

test("revocation bites on the next request, and the recipient is told the link was revoked", async () => {
  const { linkId, token } = await createLink();
  assert.equal((await bob.fetch(`/l/${token}`)).status, 200);
  assert.equal((await alice.fetch(`/api/exchanges/${exchangeId}/links/${linkId}`, { method: "DELETE" })).status, 204);
  const refused = await bob.fetch(`/api/links/${token}/content`);
  assert.equal(refused.status, 410);
  assert.equal(((await refused.json()) as { error: { code: string } }).error.code, "link_revoked");
  const page = await (await bob.fetch(`/l/${token}`)).text();
  assert.match(page, /data-testid="link-revoked"/);
  assert.doesNotMatch(page, /contract\.pdf/);
  assert.equal((await linkOf(linkId))?.status, "revoked");
  assert.equal((await bob.fetch(`/api/exchanges/${exchangeId}/links/${linkId}`, { method: "DELETE" })).status, 404, "only the sender's org revokes");
});

test("guessing tokens runs into HTTP 429 with Retry-After", async () => {
  let last: Response | undefined;
  for (let attempt = 0; attempt < 25; attempt++) {
    last = await ivan.fetch(`/api/links/${randomBytes(32).toString("base64url")}/content`);
    if (last.status === 429) break;
    assert.equal(last.status, 404);
  }
  assert.equal(last?.status, 429);
  const retryAfter = Number(last?.headers.get("retry-after"));
  assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
});

/** Globex's downloader role as the app would assume it, with the MFA session tag set as given. */
async function globexKms(mfa: boolean, sessionName: string): Promise<KMS> {
  const sts = new STSClient({ region: REGION, endpoint: stack.localAwsUrl, credentials: { accessKeyId: APP_ACCESS_KEY_ID, secretAccessKey: APP_SECRET_ACCESS_KEY } });
  const { Credentials: credentials } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: "arn:aws:iam::222222222222:role/keybridge-globex-downloader",
      ExternalId: "keybridge-globex-41d9e6",
      RoleSessionName: sessionName,
      Tags: [
        { Key: "kb-user", Value: "link-test" },
        { Key: "kb-org", Value: "globex" },
        { Key: "kb-mfa", Value: String(mfa) },
        { Key: "kb-mfa-at", Value: mfa ? String(Math.floor(Date.now() / 1000)) : "none" },
      ],
    }),
  );
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken) throw new Error("no credentials");
  return new KMS({ region: REGION, endpoint: stack.localAwsUrl, credentials: { accessKeyId: credentials.AccessKeyId, secretAccessKey: credentials.SecretAccessKey, sessionToken: credentials.SessionToken } });
}

async function decryptBlob(kms: KMS, blob: Buffer): Promise<Buffer> {
  const { decryptUnsignedMessageStream } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
  const keyring = new KmsKeyringNode({ generatorKeyId: EXCHANGE_KEY_ARN, clientProvider: () => kms });
  const chunks: Buffer[] = [];
  for await (const chunk of Readable.from([blob]).pipe(decryptUnsignedMessageStream(keyring))) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

test("if the app ever skipped its MFA check, local-aws would still refuse the decrypt of a linked file", async () => {
  // The app's own check is bypassed on purpose: the stored blob goes straight to local-aws with Globex's role.
  const dir = join(stack.dataDir, "blobs");
  const blob = readdirSync(dir)
    .filter((entry) => !entry.startsWith(".") && statSync(join(dir, entry)).isFile())
    .map((entry) => readFileSync(join(dir, entry)))
    .find((candidate) => candidate.length < 1024 * 1024);
  assert.ok(blob, "a stored blob of the linked exchange");
  await assert.rejects(decryptBlob(await globexKms(false, "link-no-mfa"), blob));
  const denied = await waitFor(
    () => stack.awsEvents().find((event) => event.eventName === "Decrypt" && String(event.userIdentity?.arn).endsWith("/link-no-mfa")),
    "the refused Decrypt in local-aws's event log",
  );
  assert.equal(denied.errorCode, "AccessDeniedException");
  // The same role with MFA evidence decrypts it: the refusal above is the key policy's MFA condition.
  assert.ok((await decryptBlob(await globexKms(true, "link-with-mfa"), blob)).length > 0);
});
