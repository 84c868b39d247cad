import "server-only";
import { redirect } from "next/navigation";
import { cache } from "react";
import { currentActor, type Actor } from "@/lib/auth";
import { getOrganization } from "@/lib/config";

/** The signed-in person of this request, looked up once however many layouts and pages ask. */
export const requestActor = cache((): Promise<Actor | null> => currentActor());

/** The signed-in person for a page, or a redirect to sign-in that comes back to `returnTo` afterwards. */
export async function actorOrSignIn(returnTo: string): Promise<Actor> {
  const actor = await requestActor();
  if (!actor) redirect(`/signin?${new URLSearchParams({ callbackUrl: returnTo })}`);
  return actor;
}

export function organizationName(slug: string): string {
  return getOrganization(slug)?.displayName ?? slug;
}
