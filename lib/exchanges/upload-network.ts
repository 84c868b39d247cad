import "server-only";
import type { Actor } from "../auth";
import type { OrganizationConfig } from "../config";
import { AppError } from "../errors/app-error";
import { networkList } from "../net/cidr";

/** An organization that lists networks accepts uploads only from them; an unknown address never matches. */
export function assertUploadNetwork(actor: Actor, org: OrganizationConfig): void {
  if (org.uploadNetworks.length === 0) return;
  if (actor.clientAddress && networkList(org.uploadNetworks).contains(actor.clientAddress)) return;
  throw new AppError("network_not_allowed", `upload from ${actor.clientAddress ?? "an unknown address"} outside ${org.uploadNetworks.join(", ")}`);
}
