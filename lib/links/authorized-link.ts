import "server-only";
import { recordAuditEvent, type AuditAction } from "../audit";
import { freshMfaAt, type Actor } from "../auth";
import { getConfig } from "../config";
import { getDatabase } from "../db";
import { AppError, type AppErrorCode } from "../errors/app-error";
import { consumeAttempts, RATE_LIMITS, type RateLimitKey } from "../rate-limit";
import { decideLinkAccess, type LinkAction, type LinkStatus } from "./link-access-policy";
import { findLinkByToken, linkStateOf, type LinkRow } from "./link-rows";
import { personEvent } from "../exchanges/person-event";

const STATUS_ERRORS: Record<Exclude<LinkStatus, "active">, { code: AppErrorCode; action: AuditAction }> = {
  expired: { code: "link_expired", action: "link.expired" },
  used_up: { code: "link_used_up", action: "link.used_up" },
  revoked: { code: "link_revoked", action: "link.denied" },
};

export function linkStatusError(status: Exclude<LinkStatus, "active">): AppError {
  return new AppError(STATUS_ERRORS[status].code, `link ${status}`);
}

/**
 * The gate every link request goes through. Unknown tokens and people the link is not addressed to get the same
 * `not_found`; every request takes an attempt from the guessing budgets before the token is looked up (so a parallel
 * burst looks up at most the budget) and only a `not_found` keeps it, so guessing runs into HTTP 429; allowed recipients
 * learn whether the link expired, was used up or revoked.
 */
export async function authorizedLink(actor: Actor, token: string, action: LinkAction): Promise<LinkRow> {
  // Per person, and per address with a larger budget (everyone behind one office NAT shares it): accounts are made
  // by organizations, not by sign-up, and one machine holding many accounts still runs into its address's limit.
  const guessLimits: RateLimitKey[] = [[RATE_LIMITS.linkGuess, `user:${actor.userId}`]];
  if (actor.clientAddress) guessLimits.push([RATE_LIMITS.linkGuessAddress, `address:${actor.clientAddress}`]);
  const receipt = await consumeAttempts(guessLimits);
  const db = await getDatabase();
  const row = await findLinkByToken(db, token);
  const decision = row
    ? decideLinkAccess({ userId: actor.userId, orgSlug: actor.orgSlug, role: actor.role, hasFreshMfa: freshMfaAt(actor, getConfig().mfaMaxAgeSeconds) !== null }, action, linkStateOf(row), new Date())
    : ({ allowed: false, outcome: "not_found", reason: "no_such_token" } as const);
  if (decision.allowed && row) {
    await receipt.refund();
    return row;
  }
  if (decision.allowed) throw new AppError("internal", "allowed without a link");
  if (decision.outcome === "not_found") throw new AppError("not_found", decision.reason);
  await receipt.refund();
  if (decision.outcome === "mfa_required" || decision.outcome === "forbidden") throw new AppError(decision.outcome, decision.reason);
  const refusal = STATUS_ERRORS[decision.outcome];
  if (row) await recordLinkRefusal(actor, row, refusal.action, decision.reason);
  throw linkStatusError(decision.outcome);
}

async function recordLinkRefusal(actor: Actor, row: LinkRow, action: AuditAction, reason: string): Promise<void> {
  const db = await getDatabase();
  await db.transaction((tx) =>
    recordAuditEvent(tx, personEvent(actor, action, { type: "link", id: row.id }, [row.sender_org, row.recipient_org], { outcome: "denied", reason, details: { exchangeId: row.exchange_id } })),
  );
}
