import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startStack, type Stack } from "../support/stack";

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
  assert.doesNotMatch(scripts, /unsafe-inline|unsafe-eval/);
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
  assert.deepEqual(await response.json(), { error: { code: "unauthenticated", message: "Please sign in to continue." } });
});
