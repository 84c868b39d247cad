// Every attempt limit holds under a parallel burst (issue 12): each attempt is taken from its budget before the
// secret is checked, in one statement, so a burst of 100 evaluates at most the limit, on the embedded database and
// on PostgreSQL behind two instances; the right secret inside a later burst is refused like any other. Guessers
// cannot lock the owner out: a password with a second factor still signs in, and an admin can unlock.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { TOTP, Secret } from "otpauth";
import { DEMO_PASSWORD, DEMO_USERS } from "../../scripts/demo-users";
import { postCredentialsFrom } from "../support/credentials-sign-in";
import { startPostgres, type PostgresServer } from "../support/postgres";
import { builtActionIds, callFormAction } from "../support/server-actions";
import { startStack, type Stack } from "../support/stack";
import { nextTotpCode } from "../support/totp-codes";
import { WebClient } from "../support/web-client";

// lib/rate-limit's RATE_LIMITS (server-only, so not importable here).
const LIMITS = { accountAddress: 5, address: 30, account: 10, totp: 5, linkGuess: 20 };
const BURST = 100;
const INSIDE = 45;
const GABE = "gabe@globex.example";

const secretOf = (email: string) => DEMO_USERS.find((user) => user.email === email)?.totpSecret as string;
/** The code of the current step, without claiming it in nextTotpCode's book: for requests the server must refuse unchecked. */
const codeNow = (email: string) => new TOTP({ secret: Secret.fromBase32(secretOf(email)), algorithm: "SHA1", digits: 6, period: 30 }).generate();

let addressCount = 0;
/** A client address nobody else used (loopback is a trusted proxy in these stacks, so X-Forwarded-For is believed). */
function freshAddress(): string {
  addressCount += 1;
  return `10.${(addressCount >> 16) & 255}.${(addressCount >> 8) & 255}.${addressCount & 255}`;
}

interface SignInResult {
  status: number;
  /** next-auth's error code; null when a session cookie came back. */
  error: string | null;
  retryAfter: number;
  client: WebClient;
}

async function signInFrom(baseUrl: string, address: string, email: string, password: string, code = ""): Promise<SignInResult> {
  const client = new WebClient(baseUrl);
  const response = await postCredentialsFrom(client, address, { email, password, code });
  const body = (await response.json().catch(() => ({}))) as { url?: string };
  const error = new URL(response.headers.get("location") ?? body.url ?? "", baseUrl).searchParams.get("error");
  const signedIn = client.cookieHeader().includes("next-auth.session-token");
  return { status: response.status, error: error ?? (signedIn ? null : "no_session_cookie"), retryAfter: Number(response.headers.get("retry-after") ?? 0), client };
}

/** `count` requests at once, spread over the stack's instances in turn. */
function burst<T>(urls: string[], count: number, request: (url: string, index: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => request(urls[index % urls.length] as string, index)));
}

function tally(values: Array<string | null>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[String(value)] = (counts[String(value)] ?? 0) + 1;
  return counts;
}

interface AuditRow {
  action: string;
  outcome: string;
  reason: string | null;
  actorName: string | null;
  targetName: string | null;
}

/** The audit trail as an organization's auditor exports it: what the server evaluated, seen through the real path. */
async function auditRows(auditor: WebClient): Promise<AuditRow[]> {
  const response = await auditor.fetch("/api/audit/export?format=jsonl");
  assert.equal(response.status, 200);
  return (await response.text())
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AuditRow);
}

const countRows = (rows: AuditRow[], match: Partial<AuditRow>) => rows.filter((row) => Object.entries(match).every(([key, value]) => row[key as keyof AuditRow] === value)).length;

interface Context {
  stack: Stack;
  urls: string[];
  actions: Map<string, string>;
  auditors: { acme: WebClient; globex: WebClient };
  /** Acme's admin, signed in before the bursts spend his second factor's budget. */
  acmeAdmin: WebClient;
  exchangeId: string;
  linkToken: string;
  /** PostgreSQL only: counts rows with psql, beside the app. */
  psql?: (sql: string) => string;
}

async function setUpContext(stack: Stack, psqlUrl?: string): Promise<Context> {
  const urls = stack.appUrls;
  const [aria, greg, alice, adam] = await Promise.all(["aria@acme.example", "greg@globex.example", "alice@acme.example", "adam@acme.example"].map((email) => WebClient.signedIn(stack.appUrl, email as never)));
  const content = randomBytes(1000);
  const uploaded = await (alice as WebClient).upload({ recipientOrg: "globex", fileName: "limits.bin", content, size: content.length });
  assert.equal(uploaded.status, 200, JSON.stringify(uploaded.body));
  const exchangeId = uploaded.body.exchangeId as string;
  const created = await (alice as WebClient).fetch(`/api/exchanges/${exchangeId}/links`, { method: "POST", headers: { "content-type": "application/json", origin: new URL(stack.appUrl).origin }, body: "{}" });
  assert.equal(created.status, 201);
  const { token } = (await created.json()) as { token: string };
  return {
    stack,
    urls,
    actions: builtActionIds(),
    auditors: { acme: aria as WebClient, globex: greg as WebClient },
    acmeAdmin: adam as WebClient,
    exchangeId,
    linkToken: token,
    ...(psqlUrl ? { psql: (sql: string) => execFileSync("psql", [psqlUrl, "-At", "-c", sql], { encoding: "utf8" }).trim() } : {}),
  };
}

const actionId = (context: Context, name: string) => {
  const id = context.actions.get(name);
  assert.ok(id, `${name} in the build's server reference manifest`);
  return id;
};

/**
 * Every sign-in of a burst refused with 429 and no session. With the right password, the parallel attempts also take
 * the account's budget before any password is checked, so some are told the account is locked rather than that the
 * second factor's budget is spent: either way nothing was evaluated.
 */
function assertAllRefused(results: Array<{ status: number; error: string | null }>): void {
  const counts = tally(results.map((result) => result.error));
  assert.equal((counts.rate_limited ?? 0) + (counts.account_locked ?? 0), results.length, JSON.stringify(counts));
  for (const result of results) assert.equal(result.status, 429);
}

/** The limits every database must hold; `label` names the database in the test titles. */
function limitTests(label: string, context: () => Context): void {
  test(`${label}: 100 parallel wrong passwords for one account from one address evaluate 5; the right one inside the next burst is refused`, async () => {
    const { urls, auditors, psql } = context();
    const email = "alice@acme.example";
    const address = freshAddress();
    const first = await burst(urls, BURST, (url) => signInFrom(url, address, email, "wrong-password"));
    assert.deepEqual(tally(first.map((result) => result.error)), { invalid_credentials: LIMITS.accountAddress, rate_limited: BURST - LIMITS.accountAddress });
    for (const refused of first.filter((result) => result.error === "rate_limited")) {
      assert.equal(refused.status, 429);
      assert.ok(refused.retryAfter > 0);
    }
    const code = codeNow(email);
    const second = await burst(urls, BURST, (url, index) => signInFrom(url, address, email, index === INSIDE ? DEMO_PASSWORD : "wrong-password", index === INSIDE ? code : ""));
    assert.deepEqual(tally(second.map((result) => result.error)), { rate_limited: BURST });
    assert.equal(countRows(await auditRows(auditors.acme), { action: "auth.sign_in", reason: "invalid_credentials", actorName: "Alice Anders" }), LIMITS.accountAddress);
    if (psql) assert.equal(psql("SELECT count(*) FROM audit_events WHERE action = 'auth.sign_in' AND reason = 'invalid_credentials' AND actor_display_name = 'Alice Anders'"), String(LIMITS.accountAddress));
    // The owner, elsewhere, is not affected by what was guessed at this address.
    assert.equal((await signInFrom(urls[0] as string, freshAddress(), email, DEMO_PASSWORD, await nextTotpCode(secretOf(email)))).error, null);
  });

  test(`${label}: 100 parallel wrong passwords over many accounts from one address evaluate 30; a right password there is then refused`, async () => {
    const { urls } = context();
    const address = freshAddress();
    const first = await burst(urls, BURST, (url, index) => signInFrom(url, address, `nobody-${index}-${randomBytes(3).toString("hex")}@example.com`, "wrong-password"));
    assert.deepEqual(tally(first.map((result) => result.error)), { invalid_credentials: LIMITS.address, rate_limited: BURST - LIMITS.address });
    const ivan = "ivan@initech.example";
    const code = codeNow(ivan);
    const second = await burst(urls, BURST, (url, index) =>
      index === INSIDE ? signInFrom(url, address, ivan, DEMO_PASSWORD, code) : signInFrom(url, address, `nobody-${index}@example.com`, "wrong-password"),
    );
    assert.deepEqual(tally(second.map((result) => result.error)), { rate_limited: BURST });
  });

  test(`${label}: guesses for one account from 100 addresses evaluate 10 and lock password-only sign-in, but the owner signs in with password and code`, async () => {
    const { urls, auditors, psql } = context();
    const email = "bob@globex.example";
    const first = await burst(urls, BURST, (url) => signInFrom(url, freshAddress(), email, "wrong-password"));
    assert.deepEqual(tally(first.map((result) => result.error)), { invalid_credentials: LIMITS.account, account_locked: BURST - LIMITS.account });
    for (const locked of first.filter((result) => result.error === "account_locked")) assert.equal(locked.status, 429);
    // While locked a password alone is never checked: the right one inside a burst gets the same refusal.
    const second = await burst(urls, BURST, (url, index) => signInFrom(url, freshAddress(), email, index === INSIDE ? DEMO_PASSWORD : "wrong-password"));
    assert.deepEqual(tally(second.map((result) => result.error)), { account_locked: BURST });
    assert.equal(countRows(await auditRows(auditors.globex), { action: "auth.sign_in", reason: "invalid_credentials", actorName: "Bob Brennan" }), LIMITS.account);
    if (psql) assert.equal(psql("SELECT count(*) FROM audit_events WHERE action = 'auth.sign_in' AND reason = 'invalid_credentials' AND actor_display_name = 'Bob Brennan'"), String(LIMITS.account));

    // Nothing tells whether the password was right: a right password with a wrong code answers as a wrong one does.
    const home = freshAddress();
    const rightPassword = await signInFrom(urls[0] as string, home, email, DEMO_PASSWORD, "000000");
    const wrongPassword = await signInFrom(urls[0] as string, home, email, "wrong-password", "000000");
    assert.deepEqual([rightPassword.status, rightPassword.error], [429, "account_locked"]);
    assert.deepEqual([wrongPassword.status, wrongPassword.error], [429, "account_locked"]);
    // The owner, with the second factor, is not locked out; and that sign-in clears what the guessers spent.
    assert.equal((await signInFrom(urls[1 % urls.length] as string, home, email, DEMO_PASSWORD, await nextTotpCode(secretOf(email)))).error, null);
    assert.equal((await signInFrom(urls[0] as string, home, email, DEMO_PASSWORD)).error, "mfa_required");
  });

  test(`${label}: 100 parallel wrong sign-in codes with the right password evaluate at most 5; the right code inside the next burst is refused`, async () => {
    const { urls, auditors, psql } = context();
    const email = "adam@acme.example";
    const address = freshAddress();
    const first = await burst(urls, BURST, (url) => signInFrom(url, address, email, DEMO_PASSWORD, "000000"));
    const counts = tally(first.map((result) => result.error));
    assert.ok((counts.mfa_invalid ?? 0) <= LIMITS.totp && (counts.mfa_invalid ?? 0) >= 1, JSON.stringify(counts));
    assert.equal((counts.mfa_invalid ?? 0) + (counts.rate_limited ?? 0), BURST, JSON.stringify(counts));
    const evaluated = countRows(await auditRows(auditors.acme), { action: "auth.sign_in", reason: "mfa_invalid", actorName: "Adam Acheson" });
    assert.ok(evaluated <= LIMITS.totp, `${evaluated} codes checked`);
    if (psql) assert.ok(Number(psql("SELECT count(*) FROM audit_events WHERE reason = 'mfa_invalid' AND actor_display_name = 'Adam Acheson'")) <= LIMITS.totp);
    // Fill the budget to exactly its limit, one at a time, then the right code in a burst is refused.
    for (let spent = evaluated; spent < LIMITS.totp; spent += 1) assert.equal((await signInFrom(urls[0] as string, freshAddress(), email, DEMO_PASSWORD, "000000")).error, "mfa_invalid");
    const code = codeNow(email);
    const second = await burst(urls, BURST, (url, index) => signInFrom(url, freshAddress(), email, DEMO_PASSWORD, index === INSIDE ? code : "000000"));
    assertAllRefused(second);
  });

  test(`${label}: 100 parallel wrong step-up codes in one session evaluate 5; the right code inside the next burst is refused`, async () => {
    const { urls, auditors, psql, exchangeId } = context();
    const email = "greg@globex.example";
    const session = await WebClient.signedIn(urls[0] as string, email);
    const id = actionId(context(), "verifyMfaAction");
    const address = freshAddress();
    const stepUp = (url: string, code: string) => callFormAction(session.at(url), id, `/exchanges/${exchangeId}`, { code }, { "x-forwarded-for": address });
    const first = await burst(urls, BURST, (url) => stepUp(url, "000000"));
    // At most the budget: a request inside the person's budget but past the address's is refused and gives its slot
    // back, after others were already refused, so a burst may evaluate fewer than five (never more).
    const counts = tally(first.map((result) => (result.ok ? "ok" : (result.code as string))));
    const evaluated = counts.mfa_invalid ?? 0;
    assert.ok(evaluated >= 1 && evaluated <= LIMITS.totp, JSON.stringify(counts));
    assert.equal(evaluated + (counts.rate_limited ?? 0), BURST, JSON.stringify(counts));
    for (let spent = evaluated; spent < LIMITS.totp; spent += 1) assert.equal((await stepUp(urls[0] as string, "000000")).code, "mfa_invalid");
    const code = codeNow(email);
    const second = await burst(urls, BURST, (url, index) => stepUp(url, index === INSIDE ? code : "000000"));
    assert.deepEqual(tally(second.map((result) => (result.ok ? "ok" : (result.code as string)))), { rate_limited: BURST });
    assert.equal(countRows(await auditRows(auditors.globex), { action: "auth.mfa_verify", outcome: "denied", actorName: "Greg Grant" }), LIMITS.totp);
    if (psql) assert.equal(psql("SELECT count(*) FROM audit_events WHERE action = 'auth.mfa_verify' AND outcome = 'denied' AND actor_display_name = 'Greg Grant'"), String(LIMITS.totp));
  });

  test(`${label}: 100 parallel link-token guesses look up 20; the real token inside the next burst is refused`, async () => {
    const { urls, linkToken } = context();
    const gina = await WebClient.signedIn(urls[0] as string, "gina@globex.example");
    const address = freshAddress();
    const guess = async (url: string, token: string) => {
      const response = await gina.at(url).fetch(`/api/links/${token}/content`, { headers: { "x-forwarded-for": address } });
      await response.arrayBuffer();
      return String(response.status);
    };
    const first = await burst(urls, BURST, (url) => guess(url, randomBytes(32).toString("base64url")));
    assert.deepEqual(tally(first), { "404": LIMITS.linkGuess, "429": BURST - LIMITS.linkGuess });
    const second = await burst(urls, BURST, (url, index) => guess(url, index === INSIDE ? linkToken : randomBytes(32).toString("base64url")));
    assert.deepEqual(tally(second), { "429": BURST });
  });

  test(`${label}: 100 parallel wrong recovery codes at sign-in evaluate at most 5; a real recovery code inside the next burst is refused`, async () => {
    const { urls, auditors } = context();
    const email = "aria@acme.example";
    const session = await WebClient.signedIn(urls[0] as string, email);
    const made = await callFormAction(session, actionId(context(), "regenerateRecoveryCodesAction"), "/settings/security", { password: DEMO_PASSWORD, code: await nextTotpCode(secretOf(email)) });
    const codes = made.value?.recoveryCodes as string[] | undefined;
    assert.equal(codes?.length, 10, JSON.stringify(made));
    const address = freshAddress();
    const wrong = () => `${randomBytes(5).toString("hex").replace(/[^a-k]/g, "a").slice(0, 5).padEnd(5, "b")}-zzzzz`;
    const first = await burst(urls, BURST, (url) => signInFrom(url, address, email, DEMO_PASSWORD, wrong()));
    const counts = tally(first.map((result) => result.error));
    assert.ok((counts.mfa_invalid ?? 0) <= LIMITS.totp, JSON.stringify(counts));
    assert.equal((counts.mfa_invalid ?? 0) + (counts.rate_limited ?? 0), BURST, JSON.stringify(counts));
    assert.ok(countRows(await auditRows(auditors.acme), { action: "auth.sign_in", reason: "recovery_code_invalid", actorName: "Aria Auditor" }) <= LIMITS.totp);
    for (let spent = counts.mfa_invalid ?? 0; spent < LIMITS.totp; spent += 1) assert.equal((await signInFrom(urls[0] as string, freshAddress(), email, DEMO_PASSWORD, wrong())).error, "mfa_invalid");
    const second = await burst(urls, BURST, (url, index) => signInFrom(url, freshAddress(), email, DEMO_PASSWORD, index === INSIDE ? (codes?.[0] as string) : wrong()));
    assertAllRefused(second);
  });

  test(`${label}: 100 parallel wrong enrolment confirmations evaluate 5; the right code inside the next burst is refused`, async () => {
    const { urls } = context();
    const gabe = new WebClient(urls[0] as string);
    assert.equal(await gabe.signIn(GABE, { code: null }), null);
    const started = await callFormAction(gabe, actionId(context(), "startEnrolmentAction"), "/settings/security", { password: DEMO_PASSWORD });
    assert.equal(started.ok, true, JSON.stringify(started));
    const secret = String(started.value?.secret);
    const confirmId = actionId(context(), "confirmEnrolmentAction");
    const address = freshAddress();
    const confirm = (url: string, code: string) => callFormAction(gabe.at(url), confirmId, "/settings/security", { code }, { "x-forwarded-for": address });
    const first = await burst(urls, BURST, (url) => confirm(url, "000000"));
    assert.deepEqual(tally(first.map((result) => (result.ok ? "ok" : (result.code as string)))), { mfa_invalid: LIMITS.totp, rate_limited: BURST - LIMITS.totp });
    const code = new TOTP({ secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: 30 }).generate();
    const second = await burst(urls, BURST, (url, index) => confirm(url, index === INSIDE ? code : "000000"));
    assert.deepEqual(tally(second.map((result) => (result.ok ? "ok" : (result.code as string)))), { rate_limited: BURST });
  });
}

describe("attempt limits on the embedded database", () => {
  let context: Context;
  before(async () => {
    const stack = await startStack({ configure: (config) => (config.trustedProxies = ["127.0.0.1/32"]) });
    context = await setUpContext(stack);
  });
  after(() => context?.stack.stop());

  limitTests("PGlite", () => context);

  test("an account without a second factor stays locked until an admin of its own organization unlocks it (audited)", async () => {
    const { urls, auditors } = context;
    const url = urls[0] as string;
    const unlockId = actionId(context, "unlockAccountAction");
    // Gabe has no authenticator; the earlier enrolment test left his factor unconfirmed.
    const first = await burst(urls, BURST, (target) => signInFrom(target, freshAddress(), GABE, "wrong-password"));
    assert.equal(tally(first.map((result) => result.error)).invalid_credentials, LIMITS.account);
    assert.equal((await signInFrom(url, freshAddress(), GABE, DEMO_PASSWORD)).error, "account_locked");

    const gina = await WebClient.signedIn(url, "gina@globex.example");
    const page = await (await gina.fetch("/admin/people")).text();
    const row = page.slice(page.indexOf(`data-email="${GABE}"`));
    assert.match(row.slice(0, row.indexOf("</tr>")), /data-testid="person-locked"/);
    const gabeId = /name="userId" value="([0-9a-f-]{36})"/.exec(row)?.[1] as string;
    assert.ok(gabeId, "an Unlock button for Gabe");

    // Not a member, and not an admin of another organization.
    const bob = await WebClient.signedIn(url, "bob@globex.example");
    assert.equal((await callFormAction(bob, unlockId, "/admin/people", { userId: gabeId })).code, "forbidden");
    assert.equal((await callFormAction(context.acmeAdmin, unlockId, "/admin/people", { userId: gabeId })).code, "not_found");
    assert.equal((await signInFrom(url, freshAddress(), GABE, DEMO_PASSWORD)).error, "account_locked");

    assert.equal((await callFormAction(gina, unlockId, "/admin/people", { userId: gabeId })).ok, true);
    assert.equal((await signInFrom(url, freshAddress(), GABE, DEMO_PASSWORD)).error, null);
    assert.match(await (await gina.fetch("/admin/people")).text(), new RegExp(`data-email="${GABE}"[\\s\\S]*?data-testid="person-unlocked"`));
    assert.equal(countRows(await auditRows(auditors.globex), { action: "auth.account_unlocked", outcome: "success", actorName: "Gina Gold", targetName: "Gabe Green" }), 1);
    // Members do not find the page at all.
    assert.equal((await bob.fetch("/admin/people")).status, 404);
  });

  test("changing factors needs the password and, with an authenticator, a current code", async () => {
    const url = context.urls[0] as string;
    const start = actionId(context, "startEnrolmentAction");
    const regenerate = actionId(context, "regenerateRecoveryCodesAction");
    const ivan = await WebClient.signedIn(url, "ivan@initech.example");
    const outcome = async (id: string, fields: Record<string, string>) => {
      const result = await callFormAction(ivan, id, "/settings/security", fields);
      return result.ok ? "ok" : result.code;
    };
    assert.equal(await outcome(start, {}), "invalid_input", "a session alone");
    assert.equal(await outcome(regenerate, {}), "invalid_input", "a session alone");
    assert.equal(await outcome(start, { password: DEMO_PASSWORD }), "mfa_required", "the password without a code");
    assert.equal(await outcome(regenerate, { password: DEMO_PASSWORD }), "mfa_required", "the password without a code");
    assert.equal(await outcome(regenerate, { password: DEMO_PASSWORD, code: "000000" }), "mfa_invalid");
    assert.equal(await outcome(regenerate, { password: "wrong-password", code: await nextTotpCode(secretOf("ivan@initech.example")) }), "password_invalid");
    const made = await callFormAction(ivan, regenerate, "/settings/security", { password: DEMO_PASSWORD, code: await nextTotpCode(secretOf("ivan@initech.example")) });
    assert.equal((made.value?.recoveryCodes as unknown[] | undefined)?.length, 10);
  });

  test("the sign-in form posts (never a GET with the password in the URL) and says it needs JavaScript", async () => {
    const html = await (await fetch(new URL("/signin", context.stack.appUrl))).text();
    const form = /<form[^>]*>/.exec(html)?.[0] ?? "";
    assert.match(form, /method="post"/);
    assert.match(form, /action="\/api\/auth\/callback\/credentials"/);
    assert.match(html, /<noscript>[\s\S]*needs JavaScript[\s\S]*<\/noscript>/);
  });

  test("the sign-in guard refuses a body larger than a sign-in form with 413, without reading it", async () => {
    const response = await fetch(new URL("/api/auth/callback/credentials", context.stack.appUrl), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `email=a%40b.example&password=${"x".repeat(64 * 1024)}`,
    });
    assert.equal(response.status, 413);
    await response.arrayBuffer();
  });
});

describe("attempt limits on PostgreSQL behind two instances", () => {
  let postgres: PostgresServer;
  let context: Context;
  before(async () => {
    postgres = await startPostgres();
    const databaseUrl = postgres.createDatabase("limits");
    const stack = await startStack({ databaseUrl, instances: 2, configure: (config) => (config.trustedProxies = ["127.0.0.1/32"]) });
    context = await setUpContext(stack, databaseUrl);
  });
  after(async () => {
    await context?.stack.stop();
    await postgres?.stop();
  });

  limitTests("PostgreSQL, two instances", () => context);
});
