import "server-only";
import type { Actor } from "../auth";
import { mayAdministerPeople } from "../auth/people-policy";
import { getOrganization } from "../config";
import { sendingRefusal } from "../exchanges/access-policy";

/** What the signed-in person may do anywhere in the app, from the policy modules, for pages and menus to render. */
export interface ActorCapabilities {
  /** Null when the person may send files; else why not. */
  sendingRefusal: "auditor" | "no_partners" | null;
  administerPeople: boolean;
}

export function capabilitiesOf(actor: Actor): ActorCapabilities {
  return {
    sendingRefusal: sendingRefusal(actor, getOrganization(actor.orgSlug)?.sendsTo ?? []),
    administerPeople: mayAdministerPeople(actor),
  };
}
