import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { startStack, type Stack } from "../support/stack";
import { WebClient } from "../support/web-client";

let stack: Stack;

before(async () => {
  stack = await startStack();
});

after(async () => {
  await stack?.stop();
});

function directives(policy: string): Map<string, string> {
  return new Map(
    policy
      .split(";")
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [name = "", ...values] = part.split(/\s+/);
        return [name, values.join(" ")] as const;
      }),
  );
}

test("pages carry a nonce-based CSP without unsafe-inline scripts, and framing, referrer and sniffing are off", async () => {
  const response = await fetch(new URL("/signin", stack.appUrl));
  assert.equal(response.status, 200);
  const policy = directives(response.headers.get("content-security-policy") ?? "");
  const scripts = policy.get("script-src") ?? "";
  assert.match(scripts, /'nonce-[A-Za-z0-9+/=]{16,}'/);
  // 'wasm-unsafe-eval' (browser SHA-256 in WebAssembly) compiles WebAssembly only; eval of strings stays refused.
  assert.doesNotMatch(scripts, /unsafe-inline|'unsafe-eval'/);
  assert.equal(policy.get("frame-ancestors"), "'none'");
  assert.equal(policy.get("object-src"), "'none'");
  assert.equal(response.headers.get("referrer-policy"), "no-referrer");
  assert.equal(response.headers.get("x-content-type-options"), "nosniff");
  assert.equal(response.headers.get("x-frame-options"), "DENY");
  const html = await response.text();
  const nonce = scripts.match(/'nonce-([^']+)'/)?.[1];
  const scriptTags = [...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
  assert.ok(scriptTags.length > 0);
  for (const tag of scriptTags) assert.ok(tag.includes(`nonce="${nonce}"`), `script without this response's nonce: ${tag}`);
});

test("each page response gets its own nonce", async () => {
  const nonceOf = async () => (await fetch(new URL("/signin", stack.appUrl))).headers.get("content-security-policy")?.match(/'nonce-([^']+)'/)?.[1];
  assert.notEqual(await nonceOf(), await nonceOf());
});

test("API errors are JSON with no-store and never an exception message", async () => {
  const response = await fetch(new URL("/api/exchanges/00000000-0000-4000-8000-000000000000/content", stack.appUrl));
  assert.equal(response.status, 401);
  assert.equal(response.headers.get("cache-control"), "no-store");
  assert.deepEqual(await response.json(), { error: { code: "unauthenticated", message: "Please sign in to continue.", retryable: false } });
});

/** The headers every response that shows or carries decrypted content must have. */
function assertDecryptedResponseHeaders(response: Response, what: string, page: boolean): void {
  assert.ok(response.ok, `${what}: ${response.status}`);
  assert.equal(response.headers.get("cache-control"), "no-store", `${what}: Cache-Control`);
  assert.equal(response.headers.get("referrer-policy"), "no-referrer", `${what}: Referrer-Policy`);
  assert.equal(response.headers.get("x-content-type-options"), "nosniff", `${what}: nosniff`);
  if (!page) return;
  const policy = directives(response.headers.get("content-security-policy") ?? "");
  assert.equal(policy.get("frame-ancestors"), "'none'", `${what}: frame-ancestors`);
  assert.match(policy.get("script-src") ?? "", /'nonce-[^']+'/, `${what}: script nonce`);
  assert.doesNotMatch(policy.get("script-src") ?? "", /unsafe-inline/, `${what}: no unsafe-inline`);
}

test("exchange pages, link pages and decrypted downloads are no-store, no-referrer, nosniff and unframeable", async () => {
  const [alice, bob] = await Promise.all([WebClient.signedIn(stack.appUrl, "alice@acme.example"), WebClient.signedIn(stack.appUrl, "bob@globex.example")]);
  const content = randomBytes(4096);
  const uploaded = await alice.upload({ recipientOrg: "globex", fileName: "headers.txt", content, size: content.length });
  assert.equal(uploaded.status, 200);
  const created = await alice.fetch(`/api/exchanges/${uploaded.exchangeId}/links`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  const { token } = (await created.json()) as { token: string };
  assertDecryptedResponseHeaders(created, "link creation (carries the token)", false);

  for (const [path, page] of [
    [`/exchanges/${uploaded.exchangeId}`, true],
    [`/inbox`, true],
    [`/l/${token}`, true],
    [`/api/exchanges/${uploaded.exchangeId}/content`, false],
    [`/api/links/${token}/content`, false],
  ] as const) {
    const response = await bob.fetch(path);
    assertDecryptedResponseHeaders(response, path, page);
    await response.arrayBuffer();
  }
});

test("production over HTTPS sends Strict-Transport-Security; plain-HTTP loopback does not", async () => {
  assert.equal((await fetch(new URL("/signin", stack.appUrl))).headers.get("strict-transport-security"), null);
  const https = await startStack({ env: { NEXTAUTH_URL: "https://keybridge.example" } });
  try {
    const response = await fetch(new URL("/signin", https.appUrl));
    assert.equal(response.status, 200);
    const hsts = response.headers.get("strict-transport-security") ?? "";
    assert.match(hsts, /^max-age=(\d+); includeSubDomains$/);
    assert.ok(Number(/max-age=(\d+)/.exec(hsts)?.[1]) >= 31536000, hsts);
  } finally {
    await https.stop();
  }
});
