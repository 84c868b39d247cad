import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { attachmentDisposition } from "../../lib/http/content-disposition";
import { DEMO_PASSWORD, DEMO_USERS } from "../../scripts/demo-users";
import { hashBody, sha256 } from "../support/bytes";
import { postCredentialsFrom } from "../support/credentials-sign-in";
import { startStack, type Stack } from "../support/stack";
import { nextTotpCode } from "../support/totp-codes";
import { WebClient } from "../support/web-client";

// Loopback is a trusted proxy here, so each rate-limit test can speak from its own X-Forwarded-For address.
let stack: Stack;
let alice: WebClient;
let bob: WebClient;
let adam: WebClient;
let ivan: WebClient;

before(async () => {
  stack = await startStack({ configure: (config) => (config.trustedProxies = ["127.0.0.1/32"]) });
  [alice, bob, adam, ivan] = await Promise.all([
    WebClient.signedIn(stack.appUrl, "alice@acme.example"),
    WebClient.signedIn(stack.appUrl, "bob@globex.example"),
    WebClient.signedIn(stack.appUrl, "adam@acme.example"),
    WebClient.signedIn(stack.appUrl, "ivan@initech.example"),
  ]);
});

after(async () => {
  await stack?.stop();
});

const errorCode = async (response: Response) => ((await response.json()) as { error?: { code: string } }).error?.code;
const escapeHtml = (value: string) => value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Signs in through next-auth's credentials callback from `address`; returns the response and its error code. */
async function signInFrom(address: string, email: string, password: string, code = "") {
  const client = new WebClient(stack.appUrl);
  const response = await postCredentialsFrom(client, address, { email, password, code });
  const url = response.headers.get("location") ?? ((await response.clone().json().catch(() => ({}))) as { url?: string }).url ?? "";
  return { response, error: new URL(url, stack.appUrl).searchParams.get("error") };
}

const HOSTILE_NAMES = {
  traversal: "../../etc/passwd",
  nul: "report\u0000.pdf",
  controls: "line\r\nbreak\ttab\u001b[31m.txt",
  rlo: "invoice\u202Egpj.exe",
  long: `${"a".repeat(996)}.bin`,
  emoji: "🔐 secret 📁 files 🎉.zip",
  dot: ".",
  dotDot: "..",
  dots: "...",
  html: "<img src=x onerror=alert(1)>.html",
};

for (const [label, fileName] of Object.entries(HOSTILE_NAMES)) {
  test(`a file named ${label} is stored under a random key and served with a safe Content-Disposition`, async () => {
    const content = randomBytes(2048);
    const uploaded = await alice.upload({ recipientOrg: "globex", fileName, content, size: content.length, message: fileName });
    assert.equal(uploaded.status, 200, JSON.stringify(uploaded.body));
    const download = await bob.fetch(`/api/exchanges/${uploaded.exchangeId}/content`);
    assert.equal(download.status, 200);
    const disposition = download.headers.get("content-disposition") ?? "";
    assert.equal(disposition, attachmentDisposition(fileName.trim()));
    assert.doesNotMatch(disposition, /[\u0000-\u001f\u007f]/);
    const saveAs = decodeURIComponent(disposition.split("filename*=UTF-8''")[1] ?? "");
    assert.ok(saveAs.length > 0 && !/[\\/]/.test(saveAs) && !/^\.+$/.test(saveAs) && !/[\u202a-\u202e]/.test(saveAs), saveAs);
    assert.deepEqual(await hashBody(download), { bytes: content.length, sha256: sha256(content) });

    // The page shows back exactly what was sent (trimmed), as escaped text.
    const page = await (await bob.fetch(`/exchanges/${uploaded.exchangeId}`)).text();
    const shown = /data-testid="exchange-file-name">([^<]*)</.exec(page)?.[1];
    assert.equal(shown, escapeHtml(fileName.trim()));
    assert.doesNotMatch(page, /<img src=x/);
  });
}

test("blobs on disk are named by random keys, never by the file name", () => {
  const files = readdirSync(stack.dataDir, { recursive: true, encoding: "utf8" });
  const blobs = files.filter((path) => /(^|\/)[0-9a-f]{40}(\.[a-z]+)?$/.test(path));
  assert.ok(blobs.length >= Object.keys(HOSTILE_NAMES).length, files.join(", "));
  for (const path of files) assert.doesNotMatch(path, /passwd|secret|invoice|onerror|🔐/);
  assert.ok(files.every((path) => !join(stack.dataDir, path).includes("..")));
});

test("SQL metacharacters in every audit filter give ordinary pages and exports", async () => {
  const probes = ["' OR 1=1 --", "%", "_", "\\", "'; DROP TABLE audit_events; --", '"', "\u0000"];
  for (const probe of probes) {
    for (const field of ["q", "actor", "org", "action", "outcome", "exchange", "from", "to", "after"]) {
      const query = new URLSearchParams({ [field]: probe }).toString();
      const page = await adam.fetch(`/audit?${query}`);
      assert.equal(page.status, 200, `/audit?${query}`);
      await page.arrayBuffer();
      // Free text is searched for literally; a structured filter that is not a valid value is refused by name.
      const exported = await adam.fetch(`/api/audit/export?format=jsonl&${query}`);
      if (field === "q") assert.equal(exported.status, 200, `/api/audit/export?${query}`);
      else if (exported.status !== 200) assert.deepEqual([exported.status, await errorCode(exported)], [400, "invalid_input"], `/api/audit/export?${query}`);
      await exported.arrayBuffer().catch(() => undefined);
    }
  }
  // The table is still there and filters still narrow: a wildcard typed as text matches only literally.
  const rows = async (q: string) => (await (await adam.fetch(`/api/audit/export?format=jsonl&q=${encodeURIComponent(q)}`)).text()).split("\n").filter(Boolean).length;
  assert.ok((await rows("")) > 0);
  assert.equal(await rows("%%%nothing-like-this%%%"), 0);
});

test("malformed, oversized and wrongly typed JSON bodies get 400, 413 and 415 with clear messages", async () => {
  const uploaded = await alice.upload({ recipientOrg: "globex", fileName: "links.bin", content: randomBytes(16), size: 16 });
  for (const path of ["/api/uploads", `/api/exchanges/${uploaded.exchangeId}/links`]) {
    const post = (body: BodyInit, contentType: string | null) => alice.fetch(path, { method: "POST", headers: contentType ? { "content-type": contentType } : {}, body });
    const malformed = await post("{\"fileName\": ", "application/json");
    assert.equal(malformed.status, 400, path);
    assert.deepEqual(await malformed.json(), { error: { code: "invalid_input", message: "The request body is not valid JSON.", retryable: false } });
    const oversized = await post(JSON.stringify({ message: "x".repeat(2 * 1024 * 1024) }), "application/json");
    assert.equal(oversized.status, 413, path);
    // Refused by the server's body limit (http.maxBodyBytes) while it is read, before the route sees it.
    assert.equal(await errorCode(oversized), "request_too_large");
    for (const contentType of ["text/plain", "application/x-www-form-urlencoded", null]) {
      const wrongType = await post("{}", contentType);
      assert.equal(wrongType.status, 415, `${path} ${contentType}`);
      assert.equal(await errorCode(wrongType), "unsupported_media_type");
    }
    const notAnObject = await post("[1, 2, 3]", "application/json");
    assert.equal(notAnObject.status, 400, path);
  }
  assert.equal((await alice.fetch("/api/audit/export?format=jsonl")).status, 200, "the server is alive");
});

test("missing, revoked and forged session cookies get 401 from the API and the sign-in page from pages", async () => {
  const anonymous = new WebClient(stack.appUrl);
  assert.equal((await anonymous.fetch("/api/audit/export")).status, 401);
  const page = await anonymous.fetch("/sent");
  assert.ok([302, 303, 307].includes(page.status));
  assert.match(page.headers.get("location") ?? "", /\/signin/);

  const victim = await WebClient.signedIn(stack.appUrl, "aria@acme.example");
  const cookieName = victim.cookieHeader().match(/((?:__Secure-)?next-auth\.session-token)=([^;]+)/);
  assert.ok(cookieName, victim.cookieHeader());
  const [, name, jwt] = cookieName as unknown as [string, string, string];
  const withCookie = (value: string) => fetch(new URL("/api/audit/export", stack.appUrl), { headers: { cookie: `${name}=${value}` }, redirect: "manual" });
  assert.equal((await withCookie(jwt)).status, 200);
  const tampered = `${jwt.slice(0, 40)}${jwt[40] === "A" ? "B" : "A"}${jwt.slice(41)}`;
  for (const forged of [randomBytes(200).toString("base64url"), tampered, "eyJhbGciOiJub25lIn0.eyJzaWQiOiJ4In0.", "x".repeat(8000)]) {
    const response = await withCookie(forged);
    assert.equal(response.status, 401, forged.slice(0, 20));
  }

  const { csrfToken } = (await (await victim.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
  await victim.fetch("/api/auth/signout", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ csrfToken, json: "true" }) });
  assert.equal((await withCookie(jwt)).status, 401, "a signed-out session's cookie no longer works");
});

test("cross-site requests to every mutating route handler and to a server action are refused", async () => {
  const uploaded = await alice.upload({ recipientOrg: "globex", fileName: "csrf.bin", content: randomBytes(16), size: 16 });
  const created = await alice.fetch(`/api/exchanges/${uploaded.exchangeId}/links`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  const { linkId } = (await created.json()) as { linkId: string };
  const evil = { origin: "https://evil.example" };
  const json = { ...evil, "content-type": "application/json" };
  const attempts: Array<[string, RequestInit]> = [
    ["/api/uploads", { method: "POST", headers: json, body: JSON.stringify({ recipientOrg: "globex", fileName: "x", size: 1 }) }],
    [`/api/uploads/${uploaded.exchangeId}/parts/1`, { method: "PUT", headers: evil, body: "x" }],
    [`/api/uploads/${uploaded.exchangeId}/complete`, { method: "POST", headers: json, body: "{}" }],
    [`/api/uploads/${uploaded.exchangeId}`, { method: "DELETE", headers: evil }],
    [`/api/exchanges/${uploaded.exchangeId}/links`, { method: "POST", headers: json, body: "{}" }],
    [`/api/exchanges/${uploaded.exchangeId}/links/${linkId}`, { method: "DELETE", headers: evil }],
    [`/api/exchanges/${uploaded.exchangeId}/links/${linkId}`, { method: "DELETE", headers: { "sec-fetch-site": "cross-site" } }],
  ];
  for (const [path, init] of attempts) {
    const response = await alice.fetch(path, init);
    assert.equal(response.status, 403, `${init.method} ${path}`);
    assert.equal(await errorCode(response), "forbidden");
  }
  const links = (await (await alice.fetch(`/api/exchanges/${uploaded.exchangeId}/links`)).json()) as { links: Array<{ id: string; revokedAt?: string | null; status?: string }> };
  const link = links.links.find((candidate) => candidate.id === linkId);
  assert.ok(link && !link.revokedAt && (link.status ?? "active") === "active", JSON.stringify(link));

  // A server action (the link form's hidden fields, as a browser would post them) sent from another origin.
  const pageHtml = await (await alice.fetch(`/exchanges/${uploaded.exchangeId}`)).text();
  const hidden = [...pageHtml.matchAll(/<input type="hidden" name="(\$ACTION[^"]+)"(?: value="([^"]*)")?\/>/g)];
  assert.ok(hidden.length > 0, "the exchange page has a server-action form");
  const form = new FormData();
  for (const [, name = "", value = ""] of hidden) form.append(name, value.replace(/&quot;/g, '"').replace(/&amp;/g, "&"));
  const action = await alice.fetch(`/exchanges/${uploaded.exchangeId}`, { method: "POST", body: form, headers: evil });
  assert.ok(action.status >= 400, `cross-site server action answered ${action.status}`);
});

test("over-long tokens and ids are refused with 404 or 400", async () => {
  const longToken = "A".repeat(10 * 1024);
  for (const path of [`/api/links/${longToken}/content`, `/api/exchanges/${"a".repeat(4096)}/content`, `/api/exchanges/${"0".repeat(4096)}/links`]) {
    const response = await bob.fetch(path);
    assert.ok([400, 404].includes(response.status), `${path.slice(0, 40)} → ${response.status}`);
    await response.arrayBuffer();
  }
  const page = await bob.fetch(`/l/${longToken}`);
  assert.ok([400, 404].includes(page.status), `link page → ${page.status}`);
  await page.arrayBuffer();
});

test("wrong passwords lock the account (429, Retry-After, and the sign-in page says so); other accounts are unaffected", async () => {
  const email = "aria@acme.example";
  for (let attempt = 0; attempt < 10; attempt++) assert.equal((await signInFrom(`198.51.100.${attempt + 1}`, email, "wrong-password")).error, "invalid_credentials");
  const locked = await signInFrom("198.51.100.99", email, DEMO_PASSWORD, "000000");
  assert.equal(locked.response.status, 429);
  assert.ok(Number(locked.response.headers.get("retry-after")) > 0);
  assert.equal(locked.error, "account_locked");
  assert.match(await (await fetch(new URL("/signin?error=account_locked", stack.appUrl))).text(), /This account is locked/);
  // Case and spaces do not give a fresh budget; a different account still signs in from the same addresses.
  assert.equal((await signInFrom("198.51.100.98", " ARIA@acme.example ", DEMO_PASSWORD)).error, "account_locked");
  assert.equal((await signInFrom("198.51.100.1", "greg@globex.example", DEMO_PASSWORD, await nextTotpCode(secretOf("greg@globex.example")))).error, null);
});

test("failed sign-ins are limited per address: past 30, even a right password is refused there", async () => {
  const address = "203.0.113.7";
  for (let attempt = 0; attempt < 30; attempt++) assert.equal((await signInFrom(address, `nobody-${attempt}@example.com`, "wrong-password")).error, "invalid_credentials");
  const limited = await signInFrom(address, "ivan@initech.example", DEMO_PASSWORD);
  assert.equal(limited.response.status, 429);
  assert.ok(Number(limited.response.headers.get("retry-after")) > 0);
  assert.equal(limited.error, "rate_limited");
  assert.equal((await signInFrom("203.0.113.8", "ivan@initech.example", DEMO_PASSWORD, await nextTotpCode(secretOf("ivan@initech.example")))).error, null);
});

test("wrong second-factor codes are limited per address across accounts, not only per person", async () => {
  const address = "192.0.2.44";
  const people = ["alice@acme.example", "adam@acme.example", "bob@globex.example", "gina@globex.example", "greg@globex.example"];
  for (const email of people) for (let attempt = 0; attempt < 4; attempt++) assert.equal((await signInFrom(address, email, DEMO_PASSWORD, "000000")).error, "mfa_invalid");
  assert.equal((await signInFrom(address, "ivan@initech.example", DEMO_PASSWORD, "000000")).error, "rate_limited");
  // Each person is still under their own limit of five, so from elsewhere a right code works.
  assert.equal((await signInFrom("192.0.2.45", "alice@acme.example", DEMO_PASSWORD, await nextTotpCode(secretOf("alice@acme.example")))).error, null);
});

test("link guessing is limited per address across accounts: 429 with Retry-After", async () => {
  const address = "192.0.2.80";
  // Four people, 15 guesses each: every one stays under the per-person limit of 20.
  const guessers = [bob, adam, alice, ivan];
  let refused: Response | null = null;
  for (let attempt = 0; attempt < 61 && !refused; attempt++) {
    const guesser = guessers[attempt % guessers.length] as WebClient;
    const response = await guesser.fetch(`/api/links/${randomBytes(32).toString("base64url")}/content`, { headers: { "x-forwarded-for": address } });
    if (response.status === 429) refused = response;
    else assert.equal(response.status, 404);
    await response.arrayBuffer().catch(() => undefined);
  }
  assert.ok(refused, "the address ran into its limit");
  assert.ok(Number(refused.headers.get("retry-after")) > 0);
  // The same people from another address are not refused.
  assert.equal((await bob.fetch(`/api/links/${randomBytes(32).toString("base64url")}/content`, { headers: { "x-forwarded-for": "192.0.2.81" } })).status, 404);
});

function secretOf(email: string): string {
  const user = DEMO_USERS.find((candidate) => candidate.email === email);
  if (!user?.totpSecret) throw new Error(`no TOTP secret for ${email}`);
  return user.totpSecret;
}
