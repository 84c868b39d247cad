"use server";

import { z } from "zod";
import { confirmTotpEnrolment, ConfirmTotpSchema, regenerateRecoveryCodes, startTotpEnrolment } from "@/lib/auth";
import { actorAction } from "@/lib/http/actor-action";
import { qrCodeDataUrl } from "@/lib/qr";

const start = actorAction(z.object({}), async (actor) => {
  const enrolment = await startTotpEnrolment(actor);
  return { secret: enrolment.secret, qrCode: await qrCodeDataUrl(enrolment.uri) };
});

export async function startEnrolmentAction() {
  return start({});
}

const confirm = actorAction(ConfirmTotpSchema, confirmTotpEnrolment);

export async function confirmEnrolmentAction(_previous: unknown, formData: FormData) {
  return confirm({ code: formData.get("code") });
}

const regenerate = actorAction(z.object({}), (actor) => regenerateRecoveryCodes(actor));

export async function regenerateRecoveryCodesAction() {
  return regenerate({});
}
