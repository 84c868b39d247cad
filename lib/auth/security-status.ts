import "server-only";
import { getDatabase } from "../db";
import type { Actor } from "./actor";
import { remainingRecoveryCodes } from "./recovery-codes";

export interface SecurityStatus {
  totpEnrolled: boolean;
  recoveryCodesLeft: number;
}

export async function securityStatus(actor: Actor): Promise<SecurityStatus> {
  const db = await getDatabase();
  const [row] = await db.query<{ enrolled: boolean }>("SELECT totp_secret_sealed IS NOT NULL AS enrolled FROM users WHERE id = $1", [actor.userId]);
  return { totpEnrolled: row?.enrolled ?? false, recoveryCodesLeft: await remainingRecoveryCodes(db, actor.userId) };
}
