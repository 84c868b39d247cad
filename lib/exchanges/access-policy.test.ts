import assert from "node:assert/strict";
import { test } from "node:test";
import { decideExchangeAccess, type ExchangeAccessSubject, type ExchangeAccessTarget, type ExchangeAction } from "./access-policy";

const alice = { userId: "u-alice", orgSlug: "acme", role: "member", hasFreshMfa: true } as const;
const adam = { userId: "u-adam", orgSlug: "acme", role: "admin", hasFreshMfa: true } as const;
const aria = { userId: "u-aria", orgSlug: "acme", role: "auditor", hasFreshMfa: true } as const;
const bob = { userId: "u-bob", orgSlug: "globex", role: "member", hasFreshMfa: true } as const;
const bobNoMfa = { ...bob, hasFreshMfa: false } as const;
const greg = { userId: "u-greg", orgSlug: "globex", role: "auditor", hasFreshMfa: true } as const;
const ivan = { userId: "u-ivan", orgSlug: "initech", role: "member", hasFreshMfa: true } as const;

const gina = { userId: "u-gina", orgSlug: "globex", role: "member", hasFreshMfa: true } as const;

const available: ExchangeAccessTarget = { senderOrg: "acme", senderUserId: "u-alice", recipientOrg: "globex", recipientUserIds: null, status: "available" };
const forBob: ExchangeAccessTarget = { ...available, recipientUserIds: ["u-bob"] };
const uploading: ExchangeAccessTarget = { ...available, status: "uploading" };
const receiving: ExchangeAccessTarget = { ...available, status: "receiving" };
const toInitech: ExchangeAccessTarget = { ...available, recipientOrg: "initech" };

type Case = [name: string, subject: ExchangeAccessSubject, action: ExchangeAction, target: ExchangeAccessTarget, expected: string, sendsTo?: string[]];

const cases: Case[] = [
  ["member creates to a partner", alice, "create", uploading, "allow", ["globex"]],
  ["admin creates to a partner", adam, "create", uploading, "allow", ["globex"]],
  ["auditor may not send", aria, "create", uploading, "forbidden", ["globex"]],
  ["no partnership", alice, "create", toInitech, "recipient_not_allowed", ["globex"]],
  ["creating for another org", bob, "create", uploading, "forbidden", ["acme"]],
  ["uploader sends content", alice, "send-content", uploading, "allow"],
  ["colleague may not send into another's upload", adam, "send-content", uploading, "not_found"],
  ["recipient may not send content", bob, "send-content", uploading, "not_found"],
  ["content only once", alice, "send-content", receiving, "upload_state"],
  ["no content into a finished exchange", alice, "send-content", available, "upload_state"],
  ["uploader cancels", alice, "cancel", uploading, "allow"],
  ["outsider cannot cancel", ivan, "cancel", uploading, "not_found"],
  ["sender views", alice, "view", available, "allow"],
  ["sender's auditor views", aria, "view", available, "allow"],
  ["recipient views", bob, "view", available, "allow"],
  ["recipient auditor views", greg, "view", available, "allow"],
  ["recipient does not see unfinished uploads", bob, "view", uploading, "not_found"],
  ["sender sees unfinished uploads", alice, "view", uploading, "allow"],
  ["third org cannot view", ivan, "view", available, "not_found"],
  ["recipient with MFA downloads", bob, "download", available, "allow"],
  ["recipient without fresh MFA", bobNoMfa, "download", available, "mfa_required"],
  ["recipient auditor may not download", greg, "download", available, "forbidden"],
  ["sender cannot decrypt", alice, "download", available, "forbidden"],
  ["sender admin cannot decrypt", adam, "download", available, "forbidden"],
  ["third org download looks missing", ivan, "download", available, "not_found"],
  ["globex cannot read what goes to initech", bob, "download", toInitech, "not_found"],
  ["nothing to download before completion", bob, "download", receiving, "not_found"],
  ["a recipient auditor is not told an unfinished upload exists", greg, "download", uploading, "not_found"],
  ["the named recipient downloads", bob, "download", forBob, "allow"],
  ["a colleague it is not addressed to cannot download", gina, "download", forBob, "not_found"],
  ["a colleague it is not addressed to is not told it exists", gina, "view", forBob, "not_found"],
  ["the named recipient views", bob, "view", forBob, "allow"],
  ["the recipient org's auditor still oversees it", greg, "view", forBob, "allow"],
  ["the recipient org's auditor still cannot download it", greg, "download", forBob, "forbidden"],
  ["the sender views what it addressed to one person", alice, "view", forBob, "allow"],
];

for (const [name, subject, action, target, expected, sendsTo] of cases) {
  test(`exchange access: ${name}`, () => {
    const decision = decideExchangeAccess(subject, action, target, sendsTo);
    assert.equal(decision.allowed ? "allow" : decision.code, expected);
  });
}
