// Who may do what (issue 6): every page, every route handler method and every server action, tried by eight
// personas against one real stack (local-aws, the embedded database, the production build). The table below is the
// specification; the runner under it is small. A separate test reads app/ and fails when a page, method or action
// is missing from the table, or when the table names one that no longer exists.
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { PART_SHA256_HEADER } from "../../lib/contract/transfer";
import { APP_ERRORS, type AppErrorCode } from "../../lib/errors/app-error";
import { DEMO_PASSWORD, DEMO_USERS, DEMO_USERS_WITHOUT_MFA } from "../../scripts/demo-users";
import { sha256 } from "../support/bytes";
import { sendFile } from "../support/send-file";
import { actionResult } from "../support/server-actions";
import { startStack, type Stack } from "../support/stack";
import { nextTotpCode } from "../support/totp-codes";
import { WebClient } from "../support/web-client";

// ─── Personas ────────────────────────────────────────────────────────────────────────────────────────────────────
// The demo users (scripts/demo-users.ts). Bob signs in with his TOTP code, so his session has fresh MFA (the same
// state a step-up gives); Gabe has no authenticator, so his session never has MFA.
const PERSONAS = {
  anonymous: null,
  acmeMember: "alice@acme.example",
  acmeAdmin: "adam@acme.example",
  acmeAuditor: "aria@acme.example",
  globexNoMfa: "gabe@globex.example",
  globexMfa: "bob@globex.example",
  globexAuditor: "greg@globex.example",
  initechMember: "ivan@initech.example",
} as const;
type Persona = keyof typeof PERSONAS;

// ─── Expected outcomes ───────────────────────────────────────────────────────────────────────────────────────────
interface Expect {
  status: number;
  /** JSON error body `{ error: { code, message } }`, the message being the code's sentence for people. */
  error?: AppErrorCode;
  /** A redirect to sign-in that returns to the requested page. */
  toSignIn?: true;
  /** Location header: exact, or "*suffix" for an absolute URL ending so. */
  location?: string;
  /** Page body: these must appear / must not appear ({placeholders} filled in). */
  has?: string[];
  lacks?: string[];
  /** Server action result: "ok" or the failure code of its ActionResult. */
  action?: "ok" | AppErrorCode;
  /** A named check of the body (CHECKS below). */
  check?: CheckName;
  /** A named check of the state after the request (AFTER below): a refused mutation changed nothing. */
  then?: AfterName;
}
type CheckName = "exchange-bytes" | "parts-listed" | "part-stored" | "upload-completed" | "link-list" | "link-created" | "audit-own" | "audit-org" | "session-empty" | "session-expiry-only" | "enrolment-started" | "ten-recovery-codes" | "mfa-verified" | "action-link-created" | "action-link-revoked";
type AfterName = "link-active" | "link-revoked" | "upload-waiting" | "upload-gone" | "parts-none" | "parts-unfinished" | "still-signed-in";

const json = (status: number, error: AppErrorCode): Expect => ({ status, error });
const UNAUTHENTICATED = json(401, "unauthenticated");
const FORBIDDEN = json(403, "forbidden");
const NOT_FOUND = json(404, "not_found");
const MFA_REQUIRED = json(403, "mfa_required");
const RECIPIENT_NOT_ALLOWED = json(403, "recipient_not_allowed");
const EXCHANGE_BYTES: Expect = { status: 200, check: "exchange-bytes" };
const TO_SIGN_IN: Expect = { status: 307, toSignIn: true };
const page = (...has: string[]): Expect => ({ status: 200, has });
const without = (expect: Expect, ...lacks: string[]): Expect => ({ ...expect, lacks: [...(expect.lacks ?? []), ...lacks] });
const notFoundPage = (marker: string): Expect => ({ status: 404, has: [marker], lacks: ["{fileName}"] });
const actionOk = (check?: CheckName): Expect => ({ status: 200, action: "ok", ...(check ? { check } : {}) });
const actionFails = (code: AppErrorCode): Expect => ({ status: 200, action: code });
const also = (expect: Expect, extra: Partial<Expect>): Expect => ({ ...expect, ...extra });

// ─── The objects the rows point at ({placeholders} in paths, bodies and markers) ─────────────────────────────────
// {exchange}   Acme→Globex, uploaded by the Acme member, available; {fileName} is its name
// {quiet}      another Acme→Globex exchange nobody but its uploader ever touched (for audit visibility)
// {uploading}  an exchange the Acme member started but never sent content to
// {missing}    a random UUID
// {token}      a share link of {exchange} for everyone at Globex; {namedToken} one for Bob only
// {link}       a fresh link of {exchange}, made for each cell of a row with `fresh: "link"`
// {upload}     a fresh upload session of the Acme member (1 KiB declared), for each cell of a row with `fresh: "upload"`
// {parted}     a fresh parted upload of the Acme member (1 KiB, one part), for rows with `fresh: "parted"`, with its
//              one part already stored for rows with `fresh: "parted-sent"`
// {forBob}     an Acme→Globex exchange addressed to Bob only; {forBobToken} a link of it "for everyone at Globex"
// {limited}    an Acme→Globex exchange allowing one download, which Bob used through {limitedToken}, a link of it
// {usedToken}  a one-download link of {exchange}, which Bob used
// {bobId}      Bob's user id (a Globex person)
// {bobRecoveryCode} one of Bob's recovery codes, regenerated (as Bob) just before the request

type Request =
  | { method?: "GET" | "HEAD" | "POST" | "PUT" | "DELETE"; path: string; json?: Record<string, unknown>; uploadBytes?: true }
  /** `proof`: the persona's password and one of its recovery codes are {password} and {code} in `fields`. */
  | { action: string; on: string; fields?: Record<string, string>; proof?: true };

interface Row {
  /** The page, route method or action: `PAGE /path`, `GET /api/path`, `ACTION app/file.ts#export`. */
  subject: string;
  variant: string;
  request: Request;
  fresh?: "link" | "upload" | "parted" | "parted-sent";
  /** Runs as the persona before the request. */
  prepare?: "pending-enrolment";
  expect: Record<Persona, Expect>;
}

/** The bytes every fresh upload sends as its one part. */
const uploadContent = randomBytes(1024);

const MATRIX: Row[] = [
  // ── Pages ──────────────────────────────────────────────────────────────────────────────────────────────────────
  {
    subject: "PAGE /",
    variant: "home",
    request: { path: "/" },
    expect: {
      anonymous: { status: 307, location: "/inbox" },
      acmeMember: { status: 307, location: "/inbox" }, acmeAdmin: { status: 307, location: "/inbox" }, acmeAuditor: { status: 307, location: "/inbox" },
      globexNoMfa: { status: 307, location: "/inbox" }, globexMfa: { status: 307, location: "/inbox" }, globexAuditor: { status: 307, location: "/inbox" },
      initechMember: { status: 307, location: "/inbox" },
    },
  },
  {
    subject: "PAGE /signin",
    variant: "sign-in form",
    request: { path: "/signin" },
    expect: {
      anonymous: page("<h1>Sign in</h1>"),
      acmeMember: { status: 307, location: "/inbox" }, acmeAdmin: { status: 307, location: "/inbox" }, acmeAuditor: { status: 307, location: "/inbox" },
      globexNoMfa: { status: 307, location: "/inbox" }, globexMfa: { status: 307, location: "/inbox" }, globexAuditor: { status: 307, location: "/inbox" },
      initechMember: { status: 307, location: "/inbox" },
    },
  },
  {
    subject: "PAGE /inbox",
    variant: "what was received",
    request: { path: "/inbox" },
    expect: {
      anonymous: TO_SIGN_IN,
      acmeMember: without(page('data-testid="inbox-empty"'), "{fileName}"), acmeAdmin: without(page('data-testid="inbox-empty"'), "{fileName}"), acmeAuditor: without(page('data-testid="inbox-empty"'), "{fileName}"),
      globexNoMfa: page("{fileName}"), globexMfa: page("{fileName}"), globexAuditor: page("{fileName}"),
      initechMember: without(page('data-testid="inbox-empty"'), "{fileName}"),
    },
  },
  {
    subject: "PAGE /sent",
    variant: "what was sent",
    request: { path: "/sent" },
    expect: {
      anonymous: TO_SIGN_IN,
      acmeMember: page("{fileName}"), acmeAdmin: page("{fileName}"), acmeAuditor: page("{fileName}"),
      globexNoMfa: without(page('data-testid="sent-empty"'), "{fileName}"), globexMfa: without(page('data-testid="sent-empty"'), "{fileName}"), globexAuditor: without(page('data-testid="sent-empty"'), "{fileName}"),
      initechMember: without(page('data-testid="sent-empty"'), "{fileName}"),
    },
  },
  {
    subject: "PAGE /upload",
    variant: "upload form",
    request: { path: "/upload" },
    expect: {
      anonymous: TO_SIGN_IN,
      acmeMember: page('data-testid="recipient-select"'), acmeAdmin: page('data-testid="recipient-select"'), acmeAuditor: without(page('data-testid="upload-auditor"'), 'data-testid="recipient-select"'),
      globexNoMfa: without(page('data-testid="upload-no-partners"'), 'data-testid="recipient-select"'), globexMfa: without(page('data-testid="upload-no-partners"'), 'data-testid="recipient-select"'), globexAuditor: without(page('data-testid="upload-auditor"'), 'data-testid="recipient-select"'),
      initechMember: without(page('data-testid="upload-no-partners"'), 'data-testid="recipient-select"'),
    },
  },
  {
    subject: "PAGE /settings/security",
    variant: "second factor settings",
    request: { path: "/settings/security" },
    expect: {
      anonymous: TO_SIGN_IN,
      acmeMember: page("Turned on."), acmeAdmin: page("Turned on."), acmeAuditor: page("Turned on."),
      globexNoMfa: page("Not set up yet."), globexMfa: page("Turned on."), globexAuditor: page("Turned on."),
      initechMember: page("Turned on."),
    },
  },
  {
    subject: "PAGE /audit",
    variant: "audit dashboard scope",
    request: { path: "/audit" },
    expect: {
      anonymous: TO_SIGN_IN,
      acmeMember: page("Everything you did in Keybridge"), acmeAdmin: page("Everything people at Acme Corporation did"), acmeAuditor: page("Everything people at Acme Corporation did"),
      globexNoMfa: page("Everything you did in Keybridge"), globexMfa: page("Everything you did in Keybridge"), globexAuditor: page("Everything people at Globex Industries did"),
      initechMember: page("Everything you did in Keybridge"),
    },
  },
  {
    subject: "PAGE /audit/exchanges/[id]",
    variant: "timeline of an exchange only its uploader touched",
    request: { path: "/audit/exchanges/{quiet}" },
    expect: {
      anonymous: TO_SIGN_IN,
      acmeMember: page("Exchange timeline", "{quiet}"), acmeAdmin: page("Exchange timeline", "{quiet}"), acmeAuditor: page("Exchange timeline", "{quiet}"),
      // Members see only their own events; the partner's auditor sees what happened to exchanges Globex is party to.
      globexNoMfa: notFoundPage("Page not found"), globexMfa: notFoundPage("Page not found"), globexAuditor: page("Exchange timeline", "{quiet}"),
      initechMember: notFoundPage("Page not found"),
    },
  },
  {
    subject: "PAGE /exchanges/[id]",
    variant: "Acme→Globex exchange",
    request: { path: "/exchanges/{exchange}" },
    expect: {
      anonymous: TO_SIGN_IN,
      acmeMember: without(page("{fileName}", 'data-testid="sender-note"', 'data-testid="create-link-form"'), 'data-testid="download-link"'),
      acmeAdmin: without(page("{fileName}", 'data-testid="sender-note"', 'data-testid="create-link-form"'), 'data-testid="download-link"'),
      acmeAuditor: without(page("{fileName}", 'data-testid="sender-note"', 'data-testid="share-links"'), 'data-testid="create-link-form"', 'data-testid="download-link"'),
      globexNoMfa: without(page("{fileName}", 'data-testid="mfa-needed"'), 'data-testid="download-link"', 'data-testid="share-links"'),
      globexMfa: without(page("{fileName}", 'data-testid="download-link"'), 'data-testid="share-links"'),
      globexAuditor: without(page("{fileName}", 'data-testid="auditor-note"'), 'data-testid="download-link"', 'data-testid="step-up-form"', 'data-testid="share-links"'),
      initechMember: notFoundPage("Exchange not found"),
    },
  },
  {
    subject: "PAGE /exchanges/[id]",
    variant: "an exchange addressed to Bob only",
    request: { path: "/exchanges/{forBob}" },
    expect: {
      anonymous: TO_SIGN_IN,
      acmeMember: page("{fileName}", "Bob Brennan"), acmeAdmin: page("{fileName}", "Bob Brennan"), acmeAuditor: page("{fileName}", "Bob Brennan"),
      // Gabe is at Globex, but it was not sent to him: he is told it does not exist.
      globexNoMfa: notFoundPage("Exchange not found"),
      globexMfa: page("{fileName}", 'data-testid="download-link"'),
      globexAuditor: without(page("{fileName}", 'data-testid="auditor-note"'), 'data-testid="download-link"'),
      initechMember: notFoundPage("Exchange not found"),
    },
  },
  {
    subject: "PAGE /exchanges/[id]",
    variant: "an upload not finished yet",
    request: { path: "/exchanges/{uploading}" },
    expect: {
      anonymous: TO_SIGN_IN,
      acmeMember: page("Waiting for the upload"), acmeAdmin: page("Waiting for the upload"), acmeAuditor: page("Waiting for the upload"),
      globexNoMfa: notFoundPage("Exchange not found"), globexMfa: notFoundPage("Exchange not found"), globexAuditor: notFoundPage("Exchange not found"),
      initechMember: notFoundPage("Exchange not found"),
    },
  },
  {
    subject: "PAGE /exchanges/[id]",
    variant: "an id that does not exist",
    request: { path: "/exchanges/{missing}" },
    expect: {
      anonymous: TO_SIGN_IN,
      acmeMember: notFoundPage("Exchange not found"), acmeAdmin: notFoundPage("Exchange not found"), acmeAuditor: notFoundPage("Exchange not found"),
      globexNoMfa: notFoundPage("Exchange not found"), globexMfa: notFoundPage("Exchange not found"), globexAuditor: notFoundPage("Exchange not found"),
      initechMember: notFoundPage("Exchange not found"),
    },
  },
  {
    subject: "PAGE /l/[token]",
    variant: "a link for everyone at Globex",
    request: { path: "/l/{token}" },
    expect: {
      anonymous: TO_SIGN_IN,
      // The sender's own organization is told nothing either: a link is for its recipients.
      acmeMember: notFoundPage("Link not found"), acmeAdmin: notFoundPage("Link not found"), acmeAuditor: notFoundPage("Link not found"),
      globexNoMfa: without(page("{fileName}", 'data-testid="step-up-form"'), 'data-testid="link-download"'),
      globexMfa: page("{fileName}", 'data-testid="link-download"'),
      globexAuditor: without(page("{fileName}", "Auditors can see shared files but cannot download their content."), 'data-testid="link-download"', 'data-testid="step-up-form"'),
      initechMember: notFoundPage("Link not found"),
    },
  },

  {
    subject: "PAGE /admin/people",
    variant: "the people of one's organization, with Unlock for a locked account",
    request: { path: "/admin/people" },
    expect: {
      anonymous: TO_SIGN_IN,
      // Only an admin learns the page exists, and sees only the people of their own organization.
      acmeMember: notFoundPage("Page not found"), acmeAdmin: without(page("People", "alice@acme.example"), "bob@globex.example"), acmeAuditor: notFoundPage("Page not found"),
      globexNoMfa: notFoundPage("Page not found"), globexMfa: notFoundPage("Page not found"), globexAuditor: notFoundPage("Page not found"),
      initechMember: notFoundPage("Page not found"),
    },
  },

  // ── Route handlers ─────────────────────────────────────────────────────────────────────────────────────────────
  {
    subject: "GET /api/audit/export",
    variant: "JSON Lines export, scoped to the viewer",
    request: { path: "/api/audit/export?format=jsonl" },
    expect: {
      anonymous: UNAUTHENTICATED,
      acmeMember: { status: 200, check: "audit-own" }, acmeAdmin: { status: 200, check: "audit-org" }, acmeAuditor: { status: 200, check: "audit-org" },
      globexNoMfa: { status: 200, check: "audit-own" }, globexMfa: { status: 200, check: "audit-own" }, globexAuditor: { status: 200, check: "audit-org" },
      initechMember: { status: 200, check: "audit-own" },
    },
  },
  {
    subject: "GET /api/auth/[...nextauth]",
    variant: "session: the browser learns only that it is signed in",
    request: { path: "/api/auth/session" },
    expect: {
      anonymous: { status: 200, check: "session-empty" },
      acmeMember: { status: 200, check: "session-expiry-only" }, acmeAdmin: { status: 200, check: "session-expiry-only" }, acmeAuditor: { status: 200, check: "session-expiry-only" },
      globexNoMfa: { status: 200, check: "session-expiry-only" }, globexMfa: { status: 200, check: "session-expiry-only" }, globexAuditor: { status: 200, check: "session-expiry-only" },
      initechMember: { status: 200, check: "session-expiry-only" },
    },
  },
  {
    subject: "POST /api/auth/[...nextauth]",
    variant: "sign-out without the CSRF token signs nobody out",
    request: { method: "POST", path: "/api/auth/signout" },
    expect: {
      anonymous: { status: 302, location: "*/api/auth/signout?csrf=true" },
      acmeMember: { status: 302, location: "*/api/auth/signout?csrf=true", then: "still-signed-in" }, acmeAdmin: { status: 302, location: "*/api/auth/signout?csrf=true", then: "still-signed-in" }, acmeAuditor: { status: 302, location: "*/api/auth/signout?csrf=true", then: "still-signed-in" },
      globexNoMfa: { status: 302, location: "*/api/auth/signout?csrf=true", then: "still-signed-in" }, globexMfa: { status: 302, location: "*/api/auth/signout?csrf=true", then: "still-signed-in" }, globexAuditor: { status: 302, location: "*/api/auth/signout?csrf=true", then: "still-signed-in" },
      initechMember: { status: 302, location: "*/api/auth/signout?csrf=true", then: "still-signed-in" },
    },
  },
  {
    subject: "GET /api/exchanges/[id]/content",
    variant: "Acme→Globex exchange (MFA-gated decryption)",
    request: { path: "/api/exchanges/{exchange}/content" },
    expect: {
      anonymous: UNAUTHENTICATED,
      acmeMember: FORBIDDEN, acmeAdmin: FORBIDDEN, acmeAuditor: FORBIDDEN,
      globexNoMfa: MFA_REQUIRED, globexMfa: EXCHANGE_BYTES, globexAuditor: FORBIDDEN,
      initechMember: NOT_FOUND,
    },
  },
  {
    subject: "GET /api/exchanges/[id]/content",
    variant: "an upload not finished yet",
    request: { path: "/api/exchanges/{uploading}/content" },
    expect: {
      anonymous: UNAUTHENTICATED,
      acmeMember: FORBIDDEN, acmeAdmin: FORBIDDEN, acmeAuditor: FORBIDDEN,
      // Recipients cannot see an unfinished exchange (its page is 404); the download must not tell them it exists.
      globexNoMfa: NOT_FOUND, globexMfa: NOT_FOUND, globexAuditor: NOT_FOUND,
      initechMember: NOT_FOUND,
    },
  },
  {
    subject: "GET /api/exchanges/[id]/content",
    variant: "an id that does not exist",
    request: { path: "/api/exchanges/{missing}/content" },
    expect: {
      anonymous: UNAUTHENTICATED,
      acmeMember: NOT_FOUND, acmeAdmin: NOT_FOUND, acmeAuditor: NOT_FOUND,
      globexNoMfa: NOT_FOUND, globexMfa: NOT_FOUND, globexAuditor: NOT_FOUND,
      initechMember: NOT_FOUND,
    },
  },
  {
    subject: "GET /api/exchanges/[id]/links",
    variant: "the sender's list of links and receipts",
    request: { path: "/api/exchanges/{exchange}/links" },
    expect: {
      anonymous: UNAUTHENTICATED,
      acmeMember: { status: 200, check: "link-list" }, acmeAdmin: { status: 200, check: "link-list" }, acmeAuditor: { status: 200, check: "link-list" },
      globexNoMfa: NOT_FOUND, globexMfa: NOT_FOUND, globexAuditor: NOT_FOUND,
      initechMember: NOT_FOUND,
    },
  },
  {
    subject: "POST /api/exchanges/[id]/links",
    variant: "create a link",
    request: { method: "POST", path: "/api/exchanges/{exchange}/links", json: { expiresInDays: 1 } },
    expect: {
      anonymous: UNAUTHENTICATED,
      acmeMember: { status: 201, check: "link-created" }, acmeAdmin: { status: 201, check: "link-created" }, acmeAuditor: NOT_FOUND,
      globexNoMfa: NOT_FOUND, globexMfa: NOT_FOUND, globexAuditor: NOT_FOUND,
      initechMember: NOT_FOUND,
    },
  },
  {
    subject: "DELETE /api/exchanges/[id]/links/[linkId]",
    variant: "revoke a fresh link",
    request: { method: "DELETE", path: "/api/exchanges/{exchange}/links/{link}" },
    fresh: "link",
    expect: {
      anonymous: also(UNAUTHENTICATED, { then: "link-active" }),
      acmeMember: { status: 204, then: "link-revoked" }, acmeAdmin: { status: 204, then: "link-revoked" }, acmeAuditor: also(NOT_FOUND, { then: "link-active" }),
      globexNoMfa: also(NOT_FOUND, { then: "link-active" }), globexMfa: also(NOT_FOUND, { then: "link-active" }), globexAuditor: also(NOT_FOUND, { then: "link-active" }),
      initechMember: also(NOT_FOUND, { then: "link-active" }),
    },
  },
  {
    subject: "DELETE /api/exchanges/[id]/links/[linkId]",
    variant: "a fresh link of one exchange, addressed under another exchange's id",
    request: { method: "DELETE", path: "/api/exchanges/{quiet}/links/{link}" },
    fresh: "link",
    expect: {
      anonymous: also(UNAUTHENTICATED, { then: "link-active" }),
      acmeMember: also(NOT_FOUND, { then: "link-active" }),
      acmeAdmin: also(NOT_FOUND, { then: "link-active" }),
      acmeAuditor: also(NOT_FOUND, { then: "link-active" }),
      globexNoMfa: also(NOT_FOUND, { then: "link-active" }), globexMfa: also(NOT_FOUND, { then: "link-active" }), globexAuditor: also(NOT_FOUND, { then: "link-active" }),
      initechMember: also(NOT_FOUND, { then: "link-active" }),
    },
  },
  {
    subject: "GET /api/links/[token]/content",
    variant: "a link for everyone at Globex (MFA-gated decryption)",
    request: { path: "/api/links/{token}/content" },
    expect: {
      anonymous: UNAUTHENTICATED,
      acmeMember: NOT_FOUND, acmeAdmin: NOT_FOUND, acmeAuditor: NOT_FOUND,
      globexNoMfa: MFA_REQUIRED, globexMfa: EXCHANGE_BYTES, globexAuditor: FORBIDDEN,
      initechMember: NOT_FOUND,
    },
  },
  {
    subject: "GET /api/links/[token]/content",
    variant: "a link for Bob only",
    request: { path: "/api/links/{namedToken}/content" },
    expect: {
      anonymous: UNAUTHENTICATED,
      acmeMember: NOT_FOUND, acmeAdmin: NOT_FOUND, acmeAuditor: NOT_FOUND,
      globexNoMfa: NOT_FOUND, globexMfa: EXCHANGE_BYTES, globexAuditor: NOT_FOUND,
      initechMember: NOT_FOUND,
    },
  },
  // One access decision per exchange, whichever route: a link narrows it, never widens it.
  {
    subject: "GET /api/exchanges/[id]/content",
    variant: "an exchange addressed to Bob only",
    request: { path: "/api/exchanges/{forBob}/content" },
    expect: {
      anonymous: UNAUTHENTICATED,
      acmeMember: FORBIDDEN, acmeAdmin: FORBIDDEN, acmeAuditor: FORBIDDEN,
      globexNoMfa: NOT_FOUND, globexMfa: EXCHANGE_BYTES, globexAuditor: FORBIDDEN,
      initechMember: NOT_FOUND,
    },
  },
  {
    subject: "GET /api/links/[token]/content",
    variant: "a link for everyone on an exchange addressed to Bob only",
    request: { path: "/api/links/{forBobToken}/content" },
    expect: {
      anonymous: UNAUTHENTICATED,
      acmeMember: NOT_FOUND, acmeAdmin: NOT_FOUND, acmeAuditor: NOT_FOUND,
      // The link is for whom the exchange is for, Bob: to anyone else it answers as a link that does not exist.
      globexNoMfa: NOT_FOUND, globexMfa: EXCHANGE_BYTES, globexAuditor: NOT_FOUND,
      initechMember: NOT_FOUND,
    },
  },
  {
    subject: "GET /api/exchanges/[id]/content",
    variant: "a one-download exchange Bob already downloaded through a link (the Inbox route after the link)",
    request: { path: "/api/exchanges/{limited}/content" },
    expect: {
      anonymous: UNAUTHENTICATED,
      acmeMember: FORBIDDEN, acmeAdmin: FORBIDDEN, acmeAuditor: FORBIDDEN,
      globexNoMfa: MFA_REQUIRED, globexMfa: json(410, "downloads_used_up"), globexAuditor: FORBIDDEN,
      initechMember: NOT_FOUND,
    },
  },
  {
    subject: "GET /api/links/[token]/content",
    variant: "the link through which the one-download exchange was used up",
    request: { path: "/api/links/{limitedToken}/content" },
    expect: {
      anonymous: UNAUTHENTICATED,
      acmeMember: NOT_FOUND, acmeAdmin: NOT_FOUND, acmeAuditor: NOT_FOUND,
      globexNoMfa: MFA_REQUIRED, globexMfa: json(410, "downloads_used_up"), globexAuditor: FORBIDDEN,
      initechMember: NOT_FOUND,
    },
  },
  {
    subject: "GET /api/links/[token]/content",
    variant: "a one-download link already used",
    request: { path: "/api/links/{usedToken}/content" },
    expect: {
      anonymous: UNAUTHENTICATED,
      acmeMember: NOT_FOUND, acmeAdmin: NOT_FOUND, acmeAuditor: NOT_FOUND,
      // Only people the link is addressed to learn that it is used up; the exchange itself stays downloadable from the Inbox.
      globexNoMfa: json(410, "link_used_up"), globexMfa: json(410, "link_used_up"), globexAuditor: json(410, "link_used_up"),
      initechMember: NOT_FOUND,
    },
  },
  // HEAD would run GET, which reserves, counts and audits a download: refused for everyone before any of that.
  {
    subject: "HEAD /api/exchanges/[id]/content",
    variant: "headers of an available exchange's content",
    request: { method: "HEAD", path: "/api/exchanges/{exchange}/content" },
    expect: {
      anonymous: { status: 405 },
      acmeMember: { status: 405 }, acmeAdmin: { status: 405 }, acmeAuditor: { status: 405 },
      globexNoMfa: { status: 405 }, globexMfa: { status: 405 }, globexAuditor: { status: 405 },
      initechMember: { status: 405 },
    },
  },
  {
    subject: "HEAD /api/links/[token]/content",
    variant: "headers of a link's file",
    request: { method: "HEAD", path: "/api/links/{token}/content" },
    expect: {
      anonymous: { status: 405 },
      acmeMember: { status: 405 }, acmeAdmin: { status: 405 }, acmeAuditor: { status: 405 },
      globexNoMfa: { status: 405 }, globexMfa: { status: 405 }, globexAuditor: { status: 405 },
      initechMember: { status: 405 },
    },
  },
  {
    subject: "POST /api/uploads",
    variant: "start an upload to Globex (a partner)",
    request: { method: "POST", path: "/api/uploads", json: { recipientOrg: "globex", fileName: "matrix.bin", size: 1 } },
    expect: {
      anonymous: UNAUTHENTICATED,
      acmeMember: { status: 201 }, acmeAdmin: { status: 201 }, acmeAuditor: FORBIDDEN,
      globexNoMfa: RECIPIENT_NOT_ALLOWED, globexMfa: RECIPIENT_NOT_ALLOWED, globexAuditor: FORBIDDEN,
      initechMember: RECIPIENT_NOT_ALLOWED,
    },
  },
  {
    subject: "POST /api/uploads",
    variant: "start an upload to Initech (no partnership)",
    request: { method: "POST", path: "/api/uploads", json: { recipientOrg: "initech", fileName: "matrix.bin", size: 1 } },
    expect: {
      anonymous: UNAUTHENTICATED,
      acmeMember: RECIPIENT_NOT_ALLOWED, acmeAdmin: RECIPIENT_NOT_ALLOWED, acmeAuditor: FORBIDDEN,
      globexNoMfa: RECIPIENT_NOT_ALLOWED, globexMfa: RECIPIENT_NOT_ALLOWED, globexAuditor: FORBIDDEN,
      initechMember: RECIPIENT_NOT_ALLOWED,
    },
  },
  {
    subject: "DELETE /api/uploads/[id]",
    variant: "cancel the Acme member's fresh upload",
    request: { method: "DELETE", path: "/api/uploads/{upload}" },
    fresh: "upload",
    expect: {
      anonymous: also(UNAUTHENTICATED, { then: "upload-waiting" }),
      acmeMember: { status: 204, then: "upload-gone" }, acmeAdmin: also(NOT_FOUND, { then: "upload-waiting" }), acmeAuditor: also(NOT_FOUND, { then: "upload-waiting" }),
      globexNoMfa: also(NOT_FOUND, { then: "upload-waiting" }), globexMfa: also(NOT_FOUND, { then: "upload-waiting" }), globexAuditor: also(NOT_FOUND, { then: "upload-waiting" }),
      initechMember: also(NOT_FOUND, { then: "upload-waiting" }),
    },
  },
  {
    subject: "GET /api/uploads/[id]/parts",
    variant: "which parts of the Acme member's fresh parted upload the server holds",
    request: { path: "/api/uploads/{parted}/parts" },
    fresh: "parted",
    expect: {
      anonymous: UNAUTHENTICATED,
      acmeMember: { status: 200, check: "parts-listed" }, acmeAdmin: NOT_FOUND, acmeAuditor: NOT_FOUND,
      globexNoMfa: NOT_FOUND, globexMfa: NOT_FOUND, globexAuditor: NOT_FOUND,
      initechMember: NOT_FOUND,
    },
  },
  {
    subject: "PUT /api/uploads/[id]/parts/[part]",
    variant: "send part 1 of the Acme member's fresh parted upload",
    request: { method: "PUT", path: "/api/uploads/{parted}/parts/1", uploadBytes: true },
    fresh: "parted",
    expect: {
      anonymous: also(UNAUTHENTICATED, { then: "parts-none" }),
      acmeMember: { status: 200, check: "part-stored" }, acmeAdmin: also(NOT_FOUND, { then: "parts-none" }), acmeAuditor: also(NOT_FOUND, { then: "parts-none" }),
      globexNoMfa: also(NOT_FOUND, { then: "parts-none" }), globexMfa: also(NOT_FOUND, { then: "parts-none" }), globexAuditor: also(NOT_FOUND, { then: "parts-none" }),
      initechMember: also(NOT_FOUND, { then: "parts-none" }),
    },
  },
  {
    subject: "POST /api/uploads/[id]/complete",
    variant: "finish the Acme member's parted upload whose parts have all arrived",
    request: { method: "POST", path: "/api/uploads/{parted}/complete", json: { sha256: sha256(uploadContent) } },
    fresh: "parted-sent",
    expect: {
      anonymous: also(UNAUTHENTICATED, { then: "parts-unfinished" }),
      acmeMember: { status: 200, check: "upload-completed" }, acmeAdmin: also(NOT_FOUND, { then: "parts-unfinished" }), acmeAuditor: also(NOT_FOUND, { then: "parts-unfinished" }),
      globexNoMfa: also(NOT_FOUND, { then: "parts-unfinished" }), globexMfa: also(NOT_FOUND, { then: "parts-unfinished" }), globexAuditor: also(NOT_FOUND, { then: "parts-unfinished" }),
      initechMember: also(NOT_FOUND, { then: "parts-unfinished" }),
    },
  },

  // ── Server actions (called as the browser's JavaScript calls them: POST with Next-Action, same Origin) ─────────
  {
    subject: "ACTION app/_actions/verify-mfa.ts#verifyMfaAction",
    variant: "step-up with one of Bob's recovery codes",
    request: { action: "verifyMfaAction", on: "/settings/security", fields: { code: "{bobRecoveryCode}" } },
    expect: {
      anonymous: actionFails("unauthenticated"),
      // Someone else's recovery code is just a wrong code.
      acmeMember: actionFails("mfa_invalid"), acmeAdmin: actionFails("mfa_invalid"), acmeAuditor: actionFails("mfa_invalid"),
      globexNoMfa: actionFails("mfa_not_enrolled"), globexMfa: actionOk("mfa-verified"), globexAuditor: actionFails("mfa_invalid"),
      initechMember: actionFails("mfa_invalid"),
    },
  },
  {
    subject: "ACTION app/(app)/settings/security/security-actions.ts#startEnrolmentAction",
    variant: "start (re-)enrolling an authenticator, with the password and (if one exists) a code",
    request: { action: "startEnrolmentAction", on: "/settings/security", fields: { password: "{password}", code: "{code}" }, proof: true },
    expect: {
      anonymous: actionFails("unauthenticated"),
      acmeMember: actionOk("enrolment-started"), acmeAdmin: actionOk("enrolment-started"), acmeAuditor: actionOk("enrolment-started"),
      globexNoMfa: actionOk("enrolment-started"), globexMfa: actionOk("enrolment-started"), globexAuditor: actionOk("enrolment-started"),
      initechMember: actionOk("enrolment-started"),
    },
  },
  {
    subject: "ACTION app/(app)/settings/security/security-actions.ts#confirmEnrolmentAction",
    variant: "confirm one's own pending enrolment with a wrong code",
    request: { action: "confirmEnrolmentAction", on: "/settings/security", fields: { code: "000000" } },
    prepare: "pending-enrolment",
    expect: {
      anonymous: actionFails("unauthenticated"),
      acmeMember: actionFails("mfa_invalid"), acmeAdmin: actionFails("mfa_invalid"), acmeAuditor: actionFails("mfa_invalid"),
      globexNoMfa: actionFails("mfa_invalid"), globexMfa: actionFails("mfa_invalid"), globexAuditor: actionFails("mfa_invalid"),
      initechMember: actionFails("mfa_invalid"),
    },
  },
  {
    subject: "ACTION app/(app)/settings/security/security-actions.ts#regenerateRecoveryCodesAction",
    variant: "new recovery codes, with the password and a code",
    request: { action: "regenerateRecoveryCodesAction", on: "/settings/security", fields: { password: "{password}", code: "{code}" }, proof: true },
    expect: {
      anonymous: actionFails("unauthenticated"),
      acmeMember: actionOk("ten-recovery-codes"), acmeAdmin: actionOk("ten-recovery-codes"), acmeAuditor: actionOk("ten-recovery-codes"),
      globexNoMfa: actionFails("mfa_not_enrolled"), globexMfa: actionOk("ten-recovery-codes"), globexAuditor: actionOk("ten-recovery-codes"),
      initechMember: actionOk("ten-recovery-codes"),
    },
  },
  {
    subject: "ACTION app/(app)/exchanges/[id]/link-actions.ts#createLinkAction",
    variant: "create a link for the Acme→Globex exchange",
    request: { action: "createLinkAction", on: "/exchanges/{exchange}", fields: { exchangeId: "{exchange}", expiresInDays: "1", audience: "org", note: "" } },
    expect: {
      anonymous: actionFails("unauthenticated"),
      acmeMember: actionOk("action-link-created"), acmeAdmin: actionOk("action-link-created"), acmeAuditor: actionFails("not_found"),
      globexNoMfa: actionFails("not_found"), globexMfa: actionFails("not_found"), globexAuditor: actionFails("not_found"),
      initechMember: actionFails("not_found"),
    },
  },
  {
    subject: "ACTION app/(app)/exchanges/[id]/link-actions.ts#revokeLinkAction",
    variant: "revoke a fresh link",
    request: { action: "revokeLinkAction", on: "/exchanges/{exchange}", fields: { exchangeId: "{exchange}", linkId: "{link}" } },
    fresh: "link",
    expect: {
      anonymous: also(actionFails("unauthenticated"), { then: "link-active" }),
      acmeMember: also(actionOk("action-link-revoked"), { then: "link-revoked" }), acmeAdmin: also(actionOk("action-link-revoked"), { then: "link-revoked" }), acmeAuditor: also(actionFails("not_found"), { then: "link-active" }),
      globexNoMfa: also(actionFails("not_found"), { then: "link-active" }), globexMfa: also(actionFails("not_found"), { then: "link-active" }), globexAuditor: also(actionFails("not_found"), { then: "link-active" }),
      initechMember: also(actionFails("not_found"), { then: "link-active" }),
    },
  },
  {
    subject: "ACTION app/(app)/inbox/inbox-actions.ts#markInboxSeenAction",
    variant: "the Inbox page reports that it was shown",
    request: { action: "markInboxSeenAction", on: "/inbox", fields: {} },
    expect: {
      anonymous: actionFails("unauthenticated"),
      acmeMember: actionOk(), acmeAdmin: actionOk(), acmeAuditor: actionOk(),
      globexNoMfa: actionOk(), globexMfa: actionOk(), globexAuditor: actionOk(),
      initechMember: actionOk(),
    },
  },
  {
    subject: "ACTION app/(app)/admin/people/people-actions.ts#unlockAccountAction",
    variant: "unlock Bob's account (a Globex person)",
    request: { action: "unlockAccountAction", on: "/admin/people", fields: { userId: "{bobId}" } },
    expect: {
      anonymous: actionFails("unauthenticated"),
      // An admin of another organization is told the person does not exist; nobody but an admin may unlock at all.
      acmeMember: actionFails("forbidden"), acmeAdmin: actionFails("not_found"), acmeAuditor: actionFails("forbidden"),
      globexNoMfa: actionFails("forbidden"), globexMfa: actionFails("forbidden"), globexAuditor: actionFails("forbidden"),
      initechMember: actionFails("forbidden"),
    },
  },
];

// ═══ The runner ══════════════════════════════════════════════════════════════════════════════════════════════════

const ROOT = resolve(__dirname, "../..");
const APP = join(ROOT, "app");
const DIST_DIR = process.env.KEYBRIDGE_DIST_DIR ?? ".next";
const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

// ─── Completeness: what app/ really has ──────────────────────────────────────────────────────────────────────────

function filesUnder(dir: string, suffix: RegExp): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((path) => suffix.test(path))
    .map((path) => join(dir, path))
    .sort();
}

/** app/(group)/exchanges/[id]/page.tsx → /exchanges/[id] */
function routePathOf(file: string, name: RegExp): string {
  const segments = file.slice(APP.length + 1).replace(name, "").split("/").filter((segment) => segment !== "" && !/^\(.*\)$/.test(segment));
  return `/${segments.join("/")}`;
}

/** Names a module exports: functions, consts (also destructured) and `export { a as B }` lists. */
function exportedNames(source: string): string[] {
  const names = new Set<string>();
  for (const match of source.matchAll(/export\s+(?:async\s+)?function\s*\*?\s*(\w+)/g)) names.add(match[1] as string);
  for (const match of source.matchAll(/export\s+(?:const|let|var)\s+(\w+)/g)) names.add(match[1] as string);
  for (const match of source.matchAll(/export\s+(?:const|let|var)\s*\{([^}]*)\}\s*=/g)) {
    for (const part of (match[1] as string).split(",")) {
      const name = part.split(":").pop()?.trim();
      if (name) names.add(name);
    }
  }
  for (const match of source.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const part of (match[1] as string).split(",")) {
      const name = part.split(/\s+as\s+/).pop()?.trim();
      if (name) names.add(name);
    }
  }
  if (/export\s+default\b/.test(source)) names.add("default");
  return [...names];
}

const USE_SERVER = /(["'])use server\1/;
const isFileLevelUseServer = (source: string) => /^(?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*(["'])use server\1/.test(source);

function realSubjects(): { subjects: string[]; problems: string[] } {
  const subjects: string[] = [];
  const problems: string[] = [];
  for (const file of filesUnder(APP, /(^|\/)page\.(tsx|ts|jsx|js)$/)) subjects.push(`PAGE ${routePathOf(file, /\/?page\.\w+$/)}`);
  for (const file of filesUnder(APP, /(^|\/)route\.(ts|js)$/)) {
    const methods = exportedNames(readFileSync(file, "utf8")).filter((name) => HTTP_METHODS.includes(name));
    if (methods.length === 0) problems.push(`${file.slice(ROOT.length + 1)} exports no HTTP method the matrix can recognise`);
    for (const method of methods) subjects.push(`${method} ${routePathOf(file, /\/?route\.\w+$/)}`);
  }
  for (const dir of ["app", "components", "lib"]) {
    for (const file of filesUnder(join(ROOT, dir), /\.(ts|tsx)$/)) {
      if (file.includes("node_modules")) continue;
      const source = readFileSync(file, "utf8");
      if (!USE_SERVER.test(source)) continue;
      const relative = file.slice(ROOT.length + 1);
      if (!isFileLevelUseServer(source)) {
        problems.push(`${relative} has an inline "use server" action: move it to an action file and add it to the matrix`);
        continue;
      }
      for (const name of exportedNames(source)) subjects.push(`ACTION ${relative}#${name}`);
    }
  }
  return { subjects, problems };
}

/** The built server actions: `file#export` → action id (Next's server reference manifest). */
function builtActions(): Map<string, string> {
  const manifestPath = join(ROOT, DIST_DIR, "server/server-reference-manifest.json");
  if (!existsSync(manifestPath)) throw new Error(`no ${manifestPath}: build first (KEYBRIDGE_DIST_DIR=${DIST_DIR} npx next build)`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { node: Record<string, { filename?: string; exportedName?: string }> };
  const actions = new Map<string, string>();
  for (const [id, entry] of Object.entries(manifest.node)) actions.set(`${entry.filename ?? "?"}#${entry.exportedName ?? "?"}`, id);
  return actions;
}

test("the matrix covers every page, route handler method and server action, and nothing that is gone", () => {
  const { subjects, problems } = realSubjects();
  const listed = new Set(MATRIX.map((row) => row.subject));
  const missing = subjects.filter((subject) => !listed.has(subject)).map((subject) => `missing from the matrix: ${subject}`);
  const gone = [...listed].filter((subject) => !subjects.includes(subject)).map((subject) => `in the matrix but not in the app: ${subject}`);
  // Inline actions and actions of files outside the scan still show up in the build's manifest.
  const unlistedBuilt = [...builtActions().keys()].filter((key) => !listed.has(`ACTION ${key}`)).map((key) => `a built server action missing from the matrix: ${key}`);
  assert.deepEqual([...problems, ...missing, ...gone, ...unlistedBuilt], []);
  for (const row of MATRIX) assert.deepEqual(Object.keys(row.expect).sort(), Object.keys(PERSONAS).sort(), `${row.subject} (${row.variant}) names every persona`);
});

// ─── The stack and the objects the rows use ──────────────────────────────────────────────────────────────────────

let stack: Stack;
let origin: string;
const clients = new Map<Persona, WebClient>();
const content = randomBytes(20_000);
const vars: Record<string, string> = { fileName: `authz-matrix-${randomUUID().slice(0, 8)}.pdf`, missing: randomUUID() };
let actionIds: Map<string, string>;

const client = (persona: Persona): WebClient => clients.get(persona) as WebClient;
const ownerOf = (persona: Persona) => [...DEMO_USERS, ...DEMO_USERS_WITHOUT_MFA].find((user) => user.email === PERSONAS[persona]);

async function createLink(body: Record<string, unknown> = {}, exchangeId = vars.exchange): Promise<{ linkId: string; token: string }> {
  const response = await client("acmeMember").fetch(`/api/exchanges/${exchangeId}/links`, { method: "POST", headers: { origin, "content-type": "application/json" }, body: JSON.stringify(body) });
  assert.equal(response.status, 201, await response.clone().text());
  return (await response.json()) as { linkId: string; token: string };
}

async function startUpload(fileName: string, size: number): Promise<string> {
  const response = await client("acmeMember").fetch("/api/uploads", {
    method: "POST",
    headers: { origin, "content-type": "application/json" },
    body: JSON.stringify({ recipientOrg: "globex", fileName, size }),
  });
  assert.equal(response.status, 201, await response.clone().text());
  return ((await response.json()) as { exchangeId: string }).exchangeId;
}

async function setUp(): Promise<void> {
  actionIds = builtActions();
  // Every cell of the upload rows starts an upload of the Acme member's that is never finished.
  stack = await startStack({ configure: (config) => void (config.uploads = { maxUnfinishedPerMember: 1000 }) });
  origin = new URL(stack.appUrl).origin;
  clients.set("anonymous", new WebClient(stack.appUrl));
  await Promise.all(
    (Object.entries(PERSONAS) as Array<[Persona, string | null]>).map(async ([persona, email]) => {
      if (!email) return;
      const signedIn = new WebClient(stack.appUrl);
      // Gabe has no authenticator, so he signs in with his password alone.
      const error = await signedIn.signIn(email, email === "gabe@globex.example" ? { code: null } : {});
      if (error) throw new Error(`sign-in of ${email} failed: ${error}`);
      clients.set(persona, signedIn);
    }),
  );
  // Recovery codes for every enrolled persona, proved once with a TOTP code of the step after the sign-in's.
  await Promise.all(
    (Object.entries(PERSONAS) as Array<[Persona, string | null]>).map(async ([persona, email]) => {
      const secret = DEMO_USERS.find((user) => user.email === email)?.totpSecret;
      if (secret) await regeneratedCodes(persona, await nextTotpCode(secret));
    }),
  );
  const alice = client("acmeMember");
  const uploaded = await alice.upload({ recipientOrg: "globex", fileName: vars.fileName as string, content, size: content.length, message: "matrix" });
  assert.equal(uploaded.status, 200, JSON.stringify(uploaded.body));
  vars.exchange = uploaded.body.exchangeId as string;
  const quiet = await alice.upload({ recipientOrg: "globex", fileName: "quiet.bin", content: randomBytes(100), size: 100 });
  assert.equal(quiet.status, 200, JSON.stringify(quiet.body));
  vars.quiet = quiet.body.exchangeId as string;
  vars.uploading = await startUpload("never-sent.bin", 10);
  vars.token = (await createLink()).token;
  const html = await (await alice.fetch(`/exchanges/${vars.exchange}`)).text();
  const bobId = /data-email="bob@globex\.example" name="recipientUserIds" value="([0-9a-f-]{36})"/.exec(html)?.[1] ?? /name="recipientUserIds" value="([0-9a-f-]{36})" data-email="bob@globex\.example"/.exec(html)?.[1];
  assert.ok(bobId, "Bob's user id on the sender's link form");
  vars.bobId = bobId;
  vars.namedToken = (await createLink({ recipientUserIds: [bobId] })).token;
  vars.forBob = (await sendFile(alice, content, { fileName: vars.fileName, recipientUserIds: [bobId], headers: { origin } })).exchangeId;
  vars.forBobToken = (await createLink({}, vars.forBob)).token;
  vars.limited = (await sendFile(alice, content, { fileName: vars.fileName, maxDownloads: 1, headers: { origin } })).exchangeId;
  vars.limitedToken = (await createLink({}, vars.limited)).token;
  vars.usedToken = (await createLink({ maxDownloads: 1 })).token;
  for (const token of [vars.limitedToken, vars.usedToken]) {
    const used = await client("globexMfa").fetch(`/api/links/${token}/content`);
    assert.equal(sha256(Buffer.from(await used.arrayBuffer())), sha256(content), "Bob uses the one download");
  }
}

// ─── Requests ────────────────────────────────────────────────────────────────────────────────────────────────────

async function callAction(as: WebClient, name: string, path: string, fields: Record<string, string> | undefined): Promise<Response> {
  const id = [...actionIds].find(([key]) => key.endsWith(`#${name}`))?.[1];
  assert.ok(id, `${name} is in the build's server reference manifest`);
  const headers = { origin, "next-action": id, accept: "text/x-component" };
  if (!fields) return as.fetch(path, { method: "POST", headers: { ...headers, "content-type": "text/plain;charset=UTF-8" }, body: "[]" });
  // React's encodeReply for (previousState, formData): the form's fields first, then the root referring to them.
  const body = new FormData();
  for (const [field, value] of Object.entries(fields)) body.append(`_1_${field}`, value);
  body.append("0", JSON.stringify(["$undefined", "$K1"]));
  return as.fetch(path, { method: "POST", headers, body });
}

/**
 * Each enrolled persona's unused recovery codes. Changing factors asks for the password and a second factor; a TOTP
 * code works once per 30-second step, so the cells prove it with recovery codes, one each, taken from here.
 */
const recoveryCodes = new Map<Persona, string[]>();

/** One of the persona's recovery codes, used up; "" for someone without an authenticator (or signed out). */
function takeRecoveryCode(persona: Persona): string {
  return recoveryCodes.get(persona)?.shift() ?? "";
}

/** The proof a change of factors asks for, as the Security page's form sends it. */
const proofFields = (persona: Persona) => ({ password: DEMO_PASSWORD, code: takeRecoveryCode(persona) });

/** Regenerates the persona's recovery codes (proved with one of the old ones, or a TOTP code) and keeps the new ones. */
async function regeneratedCodes(persona: Persona, code: string): Promise<string[]> {
  const response = await callAction(client(persona), "regenerateRecoveryCodesAction", "/settings/security", { password: DEMO_PASSWORD, code });
  const result = actionResult(Buffer.from(await response.arrayBuffer()));
  const codes = result?.value?.recoveryCodes as string[] | undefined;
  assert.equal(codes?.length, 10, `${persona}'s recovery codes: ${JSON.stringify(result)}`);
  recoveryCodes.set(persona, [...(codes)]);
  return codes;
}

async function freshBobRecoveryCode(): Promise<string> {
  await regeneratedCodes("globexMfa", takeRecoveryCode("globexMfa"));
  return takeRecoveryCode("globexMfa");
}

async function fill(template: string, cellVars: Record<string, string>): Promise<string> {
  let filled = template;
  if (filled.includes("{bobRecoveryCode}")) filled = filled.replaceAll("{bobRecoveryCode}", await freshBobRecoveryCode());
  return filled.replace(/\{(\w+)\}/g, (whole, name: string) => cellVars[name] ?? whole);
}

// ─── Checks ──────────────────────────────────────────────────────────────────────────────────────────────────────

interface Cell {
  persona: Persona;
  response: Response;
  body: Buffer;
  vars: Record<string, string>;
}

const text = (cell: Cell) => cell.body.toString("utf8");
const bodyJson = (cell: Cell) => JSON.parse(text(cell)) as Record<string, any>;
const auditEvents = (cell: Cell) => text(cell).split("\n").filter(Boolean).map((line) => JSON.parse(line) as { actorName: string | null; actorOrg: string | null; partyOrgs: string[]; targetId: string | null });

const CHECKS: Record<CheckName, (cell: Cell) => void | Promise<void>> = {
  "exchange-bytes": (cell) => {
    assert.equal(cell.response.headers.get("content-length"), String(content.length));
    assert.equal(sha256(cell.body), sha256(content), "the decrypted bytes are the uploaded ones");
  },
  "parts-listed": (cell) => assert.deepEqual([bodyJson(cell).partCount, bodyJson(cell).storedParts], [1, []]),
  "part-stored": (cell) => assert.deepEqual([bodyJson(cell).partNumber, bodyJson(cell).sha256], [1, sha256(uploadContent)]),
  "upload-completed": (cell) => assert.deepEqual([bodyJson(cell).exchangeId, bodyJson(cell).partCount], [cell.vars.parted, 1]),
  "link-list": (cell) => assert.ok(Array.isArray(bodyJson(cell).links) && bodyJson(cell).links.length > 0),
  "link-created": (cell) => assert.match(String(bodyJson(cell).token), /^[A-Za-z0-9_-]{43}$/),
  "audit-own": (cell) => {
    const name = ownerOf(cell.persona)?.displayName;
    const events = auditEvents(cell);
    assert.ok(events.length > 0, "at least the person's own sign-in");
    for (const event of events) assert.equal(event.actorName, name, `a member sees only what they did: ${JSON.stringify(event)}`);
  },
  "audit-org": (cell) => {
    const org = ownerOf(cell.persona)?.orgSlug as string;
    const events = auditEvents(cell);
    for (const event of events) assert.ok(event.actorOrg === org || event.partyOrgs.includes(org), `only ${org}'s people and exchanges: ${JSON.stringify(event)}`);
    assert.ok(events.some((event) => event.targetId === cell.vars.exchange), "the exchange both organizations are party to");
  },
  "session-empty": (cell) => assert.deepEqual(bodyJson(cell), {}),
  "session-expiry-only": (cell) => assert.deepEqual(Object.keys(bodyJson(cell)), ["expires"], "no name, email or id reaches the browser"),
  "enrolment-started": (cell) => assert.match(String(actionResult(cell.body)?.value?.secret), /^[A-Z2-7]{32}$/),
  "ten-recovery-codes": (cell) => {
    const codes = actionResult(cell.body)?.value?.recoveryCodes as string[] | undefined;
    assert.equal(codes?.length, 10);
    // The persona's earlier codes stopped working: later cells prove themselves with these.
    recoveryCodes.set(cell.persona, [...(codes)]);
  },
  "mfa-verified": (cell) => assert.ok(!Number.isNaN(Date.parse(String(actionResult(cell.body)?.value?.verifiedAt)))),
  "action-link-created": (cell) => assert.match(String(actionResult(cell.body)?.value?.url), new RegExp(`^${origin}/l/[A-Za-z0-9_-]{43}$`)),
  "action-link-revoked": (cell) => assert.equal(actionResult(cell.body)?.value?.linkId, cell.vars.link),
};

async function linkStatus(linkId: string): Promise<string | undefined> {
  const response = await client("acmeMember").fetch(`/api/exchanges/${vars.exchange}/links`);
  return ((await response.json()) as { links: Array<{ id: string; status: string }> }).links.find((link) => link.id === linkId)?.status;
}

/** The parts the server holds, as the uploader's browser would ask; fails once the upload was completed. */
async function partsHeld(uploadId: string): Promise<number[]> {
  const response = await client("acmeMember").fetch(`/api/uploads/${uploadId}/parts`);
  assert.equal(response.status, 200);
  return ((await response.json()) as { storedParts: number[] }).storedParts;
}

async function uploadPage(uploadId: string): Promise<{ status: number; html: string }> {
  const response = await client("acmeMember").fetch(`/exchanges/${uploadId}`);
  return { status: response.status, html: await response.text() };
}

const AFTER: Record<AfterName, (cell: Cell) => Promise<void>> = {
  "link-active": async (cell) => assert.equal(await linkStatus(cell.vars.link as string), "active"),
  "link-revoked": async (cell) => assert.equal(await linkStatus(cell.vars.link as string), "revoked"),
  "upload-waiting": async (cell) => assert.match((await uploadPage(cell.vars.upload as string)).html, /Waiting for the upload/),
  "upload-gone": async (cell) => assert.equal((await uploadPage(cell.vars.upload as string)).status, 404),
  "parts-none": async (cell) => assert.deepEqual(await partsHeld(cell.vars.parted as string), []),
  "parts-unfinished": async (cell) => assert.deepEqual(await partsHeld(cell.vars.parted as string), [1]),
  "still-signed-in": async (cell) => assert.equal((await client(cell.persona).fetch("/api/audit/export?format=jsonl")).status, 200),
};

// ─── One cell ────────────────────────────────────────────────────────────────────────────────────────────────────

async function runCell(row: Row, persona: Persona, expect: Expect): Promise<void> {
  const as = client(persona);
  const cellVars = { ...vars };
  if (row.fresh === "link") cellVars.link = (await createLink()).linkId;
  if (row.fresh === "upload") cellVars.upload = await startUpload("fresh.bin", uploadContent.length);
  if (row.fresh === "parted" || row.fresh === "parted-sent") cellVars.parted = await startUpload("fresh-parted.bin", uploadContent.length);
  if (row.fresh === "parted-sent") {
    const stored = await client("acmeMember").fetch(`/api/uploads/${cellVars.parted}/parts/1`, { method: "PUT", headers: { origin, "content-type": "application/octet-stream", [PART_SHA256_HEADER]: sha256(uploadContent) }, body: uploadContent });
    assert.equal(stored.status, 200, await stored.clone().text());
  }
  if (row.prepare === "pending-enrolment" && persona !== "anonymous") {
    const started = actionResult(Buffer.from(await (await callAction(as, "startEnrolmentAction", "/settings/security", proofFields(persona))).arrayBuffer()));
    assert.equal(started?.ok, true, `a pending enrolment to confirm: ${JSON.stringify(started)}`);
  }

  let response: Response;
  let requestedPath: string;
  if ("action" in row.request) {
    if (row.request.proof) Object.assign(cellVars, proofFields(persona));
    const fields = row.request.fields ? Object.fromEntries(await Promise.all(Object.entries(row.request.fields).map(async ([name, value]) => [name, await fill(value, cellVars)]))) : undefined;
    requestedPath = await fill(row.request.on, cellVars);
    response = await callAction(as, row.request.action, requestedPath, fields);
  } else {
    const { method = "GET", path, json: body, uploadBytes } = row.request;
    requestedPath = await fill(path, cellVars);
    const headers: Record<string, string> = method === "GET" ? {} : { origin };
    let requestBody: BodyInit | undefined;
    if (body) {
      headers["content-type"] = "application/json";
      requestBody = JSON.stringify(body);
    } else if (uploadBytes) {
      headers["content-type"] = "application/octet-stream";
      headers[PART_SHA256_HEADER] = sha256(uploadContent);
      requestBody = uploadContent;
    }
    response = await as.fetch(requestedPath, { method, headers, body: requestBody });
  }
  const cell: Cell = { persona, response, body: Buffer.from(await response.arrayBuffer()), vars: cellVars };
  const what = `${persona} → ${row.subject} (${row.variant}): ${text(cell).slice(0, 300)}`;

  assert.equal(response.status, expect.status, what);
  if (expect.error) {
    const body = bodyJson(cell) as { error?: { code?: string; message?: string; retryable?: boolean } };
    const { message, retryable } = APP_ERRORS[expect.error];
    assert.deepEqual(body.error, { code: expect.error, message, retryable }, what);
  }
  if (expect.toSignIn) assert.equal(response.headers.get("location"), `/signin?${new URLSearchParams({ callbackUrl: requestedPath })}`, what);
  if (expect.location) {
    const location = response.headers.get("location") ?? "";
    if (expect.location.startsWith("*")) assert.ok(location.endsWith(expect.location.slice(1)), `${what} → ${location}`);
    else assert.equal(location, expect.location, what);
  }
  for (const marker of expect.has ?? []) assert.ok(text(cell).includes(await fill(marker, cellVars)), `${what}\nexpected ${marker}`);
  for (const marker of expect.lacks ?? []) {
    // Also in the page's Flight data (a 404 page carries its content there), where attributes are JSON.
    const forms = [await fill(marker, cellVars), marker.replace(/^data-testid="([^"]+)"$/, '\\"data-testid\\":\\"$1\\"')];
    for (const form of forms) assert.ok(!text(cell).includes(form), `${what}\nunexpected ${form}`);
  }
  if (expect.action) {
    const result = actionResult(cell.body);
    assert.ok(result, `${what}: no action result`);
    assert.equal(result.ok ? "ok" : result.code, expect.action, `${what}: ${JSON.stringify(result)}`);
  }
  if (expect.check) await CHECKS[expect.check](cell);
  if (expect.then) await AFTER[expect.then](cell);
}

describe("authorization matrix", () => {
  before(setUp);
  after(() => stack?.stop());
  // In table order, and within a row in persona order: rows that consume state use fresh objects per cell.
  for (const row of MATRIX) {
    test(`${row.subject} — ${row.variant}`, async (t) => {
      for (const persona of Object.keys(PERSONAS) as Persona[]) {
        const expect = row.expect[persona];
        await t.test(persona, () => runCell(row, persona, expect));
      }
    });
  }
});
