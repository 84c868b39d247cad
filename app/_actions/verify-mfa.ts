"use server";

import { verifyMfa, VerifyMfaSchema } from "@/lib/auth";
import { AppError } from "@/lib/errors/app-error";
import { actorAction, type ActionResult } from "@/lib/http/actor-action";

const stepUp = actorAction(VerifyMfaSchema, async (actor, input) => {
  const outcome = await verifyMfa(actor, input);
  if (!outcome.ok) throw new AppError(outcome.error === "mfa_not_enrolled" ? "mfa_not_enrolled" : "mfa_invalid");
  return { verifiedAt: outcome.verifiedAt.toISOString() };
});

/** Step-up from the exchange and link pages: a fresh code for this session, so decryption can go on. */
export async function verifyMfaAction(_previous: unknown, formData: FormData): Promise<ActionResult<{ verifiedAt: string }>> {
  return stepUp({ code: formData.get("code") });
}
