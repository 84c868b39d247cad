"use server";

import { confirmTotpEnrolment, ConfirmTotpSchema, ReauthenticateSchema, regenerateRecoveryCodes, startTotpEnrolment } from "@/lib/auth";
import { actorAction } from "@/lib/http/actor-action";
import { qrCodeDataUrl } from "@/lib/qr";

/** The password and, for someone with an authenticator, a current code: what re-authentication reads from a form. */
function proofOf(formData: FormData) {
  const code = formData.get("code");
  return { password: formData.get("password"), ...(typeof code === "string" && code.trim() !== "" ? { code } : {}) };
}

const start = actorAction(ReauthenticateSchema, async (actor, proof) => {
  const enrolment = await startTotpEnrolment(actor, proof);
  return { secret: enrolment.secret, qrCode: await qrCodeDataUrl(enrolment.uri) };
});

export async function startEnrolmentAction(_previous: unknown, formData: FormData) {
  return start(proofOf(formData));
}

const confirm = actorAction(ConfirmTotpSchema, confirmTotpEnrolment);

export async function confirmEnrolmentAction(_previous: unknown, formData: FormData) {
  return confirm({ code: formData.get("code") });
}

const regenerate = actorAction(ReauthenticateSchema, regenerateRecoveryCodes);

export async function regenerateRecoveryCodesAction(_previous: unknown, formData: FormData) {
  return regenerate(proofOf(formData));
}
