import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { hashBody, sha256 } from "../support/bytes";
import { submitForm } from "../support/html-forms";
import { startStack, type Stack } from "../support/stack";
import { nextTotpCode } from "../support/totp-codes";
import { WebClient } from "../support/web-client";
import { DEMO_PASSWORD } from "../../scripts/demo-users";

// Gabe is seeded without an authenticator (scripts/demo-users.ts), so he can enrol here.
const GABE = "gabe@globex.example";
let stack: Stack;
let gabe: WebClient;
let secret: string;
let recoveryCodes: string[];

before(async () => {
  stack = await startStack();
  gabe = new WebClient(stack.appUrl);
  assert.equal(await gabe.signIn(GABE, { code: null }), null);
});

after(async () => {
  await stack?.stop();
});

test("enrolment shows a secret, is confirmed with a first code and returns ten recovery codes once", async () => {
  const page = await (await gabe.fetch("/settings/security")).text();
  assert.match(page, /Not set up yet/);
  const started = await submitForm(gabe, "/settings/security", page, "totp-start-form", { password: DEMO_PASSWORD });
  assert.equal(started.status, 200);
  secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(started.html)?.[1] ?? "";
  assert.match(secret, /^[A-Z2-7]{32}$/);
  assert.match(started.html, /<img src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="QR code for your authenticator app"/);

  const wrong = await submitForm(gabe, "/settings/security", started.html, "totp-confirm-form", { code: "000000" });
  assert.match(wrong.html, /data-testid="totp-confirm-error"/);

  const confirmed = await submitForm(gabe, "/settings/security", started.html, "totp-confirm-form", { code: await nextTotpCode(secret) });
  recoveryCodes = [...confirmed.html.matchAll(/data-testid="recovery-code">([a-z0-9-]+)</g)].map((match) => match[1] as string);
  assert.equal(recoveryCodes.length, 10);
  assert.equal(new Set(recoveryCodes).size, 10);
  const settled = await (await gabe.fetch("/settings/security")).text();
  assert.match(settled, /Turned on\. 10 of 10 recovery codes left/);
  assert.doesNotMatch(settled, new RegExp(recoveryCodes[0] as string), "codes are shown only once");
});

test("a TOTP code cannot be used twice, even inside its window", async () => {
  const code = await nextTotpCode(secret);
  assert.equal(await new WebClient(stack.appUrl).signIn(GABE, { code }), null);
  assert.equal(await new WebClient(stack.appUrl).signIn(GABE, { code }), "mfa_invalid");
});

test("a recovery code works instead of a TOTP code, once", async () => {
  const code = recoveryCodes[1] as string;
  assert.equal(await new WebClient(stack.appUrl).signIn(GABE, { code: code.toUpperCase() }), null);
  assert.equal(await new WebClient(stack.appUrl).signIn(GABE, { code }), "mfa_invalid");
  assert.match(await (await gabe.fetch("/settings/security")).text(), /9 of 10 recovery codes left/);
});

test("a link download asks for a fresh code (step-up), then goes on", async () => {
  const alice = await WebClient.signedIn(stack.appUrl, "alice@acme.example");
  const content = randomBytes(10_000);
  const uploaded = await alice.upload({ recipientOrg: "globex", fileName: "step-up.bin", content, size: content.length });
  assert.equal(uploaded.status, 200);
  const created = await alice.fetch(`/api/exchanges/${uploaded.body.exchangeId}/links`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  const { token } = (await created.json()) as { token: string };

  // Gabe's session began without MFA (he had none then), so decryption is refused until he proves it.
  const refused = await gabe.fetch(`/api/links/${token}/content`);
  assert.equal(refused.status, 403);
  assert.equal(((await refused.json()) as { error: { code: string } }).error.code, "mfa_required");
  const page = await (await gabe.fetch(`/l/${token}`)).text();
  assert.match(page, /data-testid="step-up-form"/);
  await submitForm(gabe, `/l/${token}`, page, "step-up-form", { code: await nextTotpCode(secret) });
  const download = await gabe.fetch(`/api/links/${token}/content`);
  assert.equal(download.status, 200);
  assert.deepEqual(await hashBody(download), { bytes: content.length, sha256: sha256(content) });
});

test("wrong codes at sign-in are limited per person: past five, even a right code is refused", async () => {
  for (let attempt = 0; attempt < 5; attempt++) assert.equal(await new WebClient(stack.appUrl).signIn("gina@globex.example", { code: "000000" }), "mfa_invalid");
  assert.equal(await new WebClient(stack.appUrl).signIn("gina@globex.example"), "rate_limited");
  // Another person is not affected.
  assert.equal(await new WebClient(stack.appUrl).signIn("bob@globex.example"), null);
});

test("MFA enrolment, recovery code use and refusals are in the audit trail", async () => {
  const greg = await WebClient.signedIn(stack.appUrl, "greg@globex.example");
  const exported = await greg.fetch("/api/audit/export?format=jsonl");
  assert.equal(exported.status, 200);
  const actions = (await exported.text())
    .split("\n")
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { action: string; outcome: string }))
    .map((event) => `${event.action}:${event.outcome}`);
  for (const expected of ["mfa.enrol_failed:denied", "mfa.enrolled:success", "mfa.recovery_codes_generated:success", "mfa.recovery_code_used:success", "auth.mfa_verify:success"]) {
    assert.ok(actions.includes(expected), `${expected} in ${[...new Set(actions)].join(", ")}`);
  }
});
