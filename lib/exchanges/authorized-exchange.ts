import "server-only";
import type { Actor } from "../auth";
import type { Queryable } from "../db";
import { AppError } from "../errors/app-error";
import { decideExchangeAccess, type ExchangeAction } from "./access-policy";
import { accessTargetOf, findExchange, type ExchangeRow } from "./exchange-rows";

/** Loads an exchange and applies the access policy for `action`; a refusal throws the policy's error. */
export async function authorizedExchange(db: Queryable, actor: Actor, exchangeId: string, action: ExchangeAction, hasFreshMfa = false): Promise<ExchangeRow> {
  const row = await findExchange(db, exchangeId);
  if (!row) throw new AppError("not_found", "no such exchange");
  const decision = decideExchangeAccess({ userId: actor.userId, orgSlug: actor.orgSlug, role: actor.role, hasFreshMfa }, action, accessTargetOf(row));
  if (!decision.allowed) throw new AppError(decision.code, decision.reason);
  return row;
}
