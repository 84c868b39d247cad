"use server";

import { headers } from "next/headers";
import { actorAction } from "@/lib/http/actor-action";
import { createLink, CreateLinkSchema, revokeLink, RevokeLinkSchema } from "@/lib/links";
import { qrCodeDataUrl } from "@/lib/qr";

/** The address people open; taken from the Origin that Next already checked for this action. */
async function linkUrl(token: string): Promise<string> {
  const origin = (await headers()).get("origin") ?? "";
  return `${origin}/l/${token}`;
}

const create = actorAction(CreateLinkSchema, async (actor, input) => {
  const created = await createLink(actor, input);
  const url = await linkUrl(created.token);
  return { url, qrCode: await qrCodeDataUrl(url), expiresAt: created.expiresAt };
});

const optionalNumber = (value: FormDataEntryValue | null) => (typeof value === "string" && value.trim() !== "" ? value : undefined);

export async function createLinkAction(_previous: unknown, formData: FormData) {
  return create({
    exchangeId: formData.get("exchangeId"),
    expiresInDays: optionalNumber(formData.get("expiresInDays")),
    maxDownloads: optionalNumber(formData.get("maxDownloads")),
    recipientUserIds: formData.get("audience") === "people" ? formData.getAll("recipientUserIds") : [],
    note: formData.get("note") ?? "",
  });
}

const revoke = actorAction(RevokeLinkSchema, async (actor, input) => {
  await revokeLink(actor, input);
  return { linkId: input.linkId };
});

export async function revokeLinkAction(_previous: unknown, formData: FormData) {
  return revoke({ exchangeId: formData.get("exchangeId"), linkId: formData.get("linkId") });
}
