import "server-only";
import { redirect } from "next/navigation";
import { currentActor, type Actor } from "@/lib/auth";
import { getOrganization } from "@/lib/config";

/** The signed-in person for a page, or a redirect to sign-in that comes back to `returnTo` afterwards. */
export async function actorOrSignIn(returnTo: string): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect(`/signin?${new URLSearchParams({ callbackUrl: returnTo })}`);
  return actor;
}

export function organizationName(slug: string): string {
  return getOrganization(slug)?.displayName ?? slug;
}
