import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startStack, type Stack } from "../support/stack";
import { WebClient } from "../support/web-client";

let stack: Stack;
let alice: WebClient;

before(async () => {
  stack = await startStack({
    configure: (config) => {
      config.trustedProxies = ["127.0.0.0/8"];
      const acme = config.organizations.find((org) => org.slug === "acme");
      if (acme) acme.uploadNetworks = ["203.0.113.0/24"];
    },
  });
  alice = await WebClient.signedIn(stack.appUrl, "alice@acme.example");
});

after(async () => {
  await stack?.stop();
});

function startUpload(forwardedFor?: string) {
  return alice.fetch("/api/uploads", {
    method: "POST",
    headers: { "content-type": "application/json", ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) },
    body: JSON.stringify({ recipientOrg: "globex", fileName: "office.txt", size: 5 }),
  });
}

const cases: Array<[string, string | undefined, number]> = [
  ["the proxy itself (no forwarded address)", undefined, 403],
  ["a client outside the office network", "198.51.100.20", 403],
  ["a client that claims the office address before a real outside hop", "203.0.113.9, 198.51.100.20", 403],
  ["a client inside the office network", "203.0.113.9", 201],
];

for (const [name, forwardedFor, status] of cases) {
  test(`upload from ${name}: ${status}`, async () => {
    const response = await startUpload(forwardedFor);
    assert.equal(response.status, status);
    if (status === 403) {
      const body = (await response.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, "network_not_allowed");
      assert.match(body.error.message, /network/);
    }
  });
}
