import assert from "node:assert/strict";
import { test } from "node:test";
import { decideLinkAccess, linkStatus, mayManageLinks, type LinkAction, type LinkState, type LinkSubject } from "./link-access-policy";

const NOW = new Date("2026-06-01T12:00:00Z");
const HOUR = 3600_000;

const link = (overrides: Partial<LinkState> = {}): LinkState => ({
  recipientOrg: "globex",
  wholeOrg: true,
  namedRecipientIds: [],
  expiresAt: new Date(NOW.getTime() + HOUR),
  revokedAt: null,
  maxDownloads: null,
  completedDownloads: 0,
  ...overrides,
});

const bob: LinkSubject = { userId: "bob", orgSlug: "globex", role: "member", hasFreshMfa: true };
const gina: LinkSubject = { userId: "gina", orgSlug: "globex", role: "admin", hasFreshMfa: true };
const greg: LinkSubject = { userId: "greg", orgSlug: "globex", role: "auditor", hasFreshMfa: true };
const alice: LinkSubject = { userId: "alice", orgSlug: "acme", role: "member", hasFreshMfa: true };
const ivan: LinkSubject = { userId: "ivan", orgSlug: "initech", role: "member", hasFreshMfa: true };

const cases: Array<[string, LinkSubject, LinkAction, LinkState, string]> = [
  ["a recipient-org member views an active link", bob, "view", link(), "allowed"],
  ["a recipient-org member downloads with fresh MFA", bob, "download", link(), "allowed"],
  ["no fresh MFA: asked for a code", { ...bob, hasFreshMfa: false }, "download", link(), "mfa_required"],
  ["no fresh MFA is enough to view", { ...bob, hasFreshMfa: false }, "view", link(), "allowed"],
  ["auditors may view but not download", greg, "download", link(), "forbidden"],
  ["the sender's org is told nothing", alice, "view", link(), "not_found"],
  ["a third org is told nothing", ivan, "download", link(), "not_found"],
  ["a named recipient may download", bob, "download", link({ wholeOrg: false, namedRecipientIds: ["bob"] }), "allowed"],
  ["a colleague not named is told nothing", gina, "view", link({ wholeOrg: false, namedRecipientIds: ["bob"] }), "not_found"],
  ["a colleague not named learns nothing of a revoked link", gina, "view", link({ wholeOrg: false, namedRecipientIds: ["bob"], revokedAt: NOW }), "not_found"],
  ["an outsider learns nothing of an expired link", ivan, "view", link({ expiresAt: NOW }), "not_found"],
  ["expired at exactly now", bob, "view", link({ expiresAt: NOW }), "expired"],
  ["revoked wins over expired", bob, "view", link({ expiresAt: NOW, revokedAt: NOW }), "revoked"],
  ["used up once completed reaches the limit", bob, "download", link({ maxDownloads: 3, completedDownloads: 3 }), "used_up"],
  ["one download left", bob, "download", link({ maxDownloads: 3, completedDownloads: 2 }), "allowed"],
  ["used up is said before MFA is asked", { ...bob, hasFreshMfa: false }, "download", link({ maxDownloads: 1, completedDownloads: 1 }), "used_up"],
];

for (const [name, subject, action, state, expected] of cases) {
  test(name, () => {
    const decision = decideLinkAccess(subject, action, state, NOW);
    assert.equal(decision.allowed ? "allowed" : decision.outcome, expected);
  });
}

test("status for the sender: revoked, expired, used up, active", () => {
  assert.equal(linkStatus(link({ revokedAt: NOW }), NOW), "revoked");
  assert.equal(linkStatus(link({ expiresAt: new Date(NOW.getTime() - 1) }), NOW), "expired");
  assert.equal(linkStatus(link({ maxDownloads: 1, completedDownloads: 1 }), NOW), "used_up");
  assert.equal(linkStatus(link({ maxDownloads: 2, completedDownloads: 1 }), NOW), "active");
});

test("only the sending organization manages links; auditors only list them", () => {
  const available = { senderOrg: "acme", status: "available" };
  assert.equal(mayManageLinks(alice, available, "create"), true);
  assert.equal(mayManageLinks(alice, { ...available, status: "receiving" }, "create"), false);
  assert.equal(mayManageLinks({ orgSlug: "acme", role: "auditor" }, available, "create"), false);
  assert.equal(mayManageLinks({ orgSlug: "acme", role: "auditor" }, available, "list"), true);
  assert.equal(mayManageLinks({ orgSlug: "acme", role: "auditor" }, available, "revoke"), false);
  assert.equal(mayManageLinks(bob, available, "list"), false);
  assert.equal(mayManageLinks(bob, available, "revoke"), false);
});
