"use server";

import { z } from "zod";
import { actorAction, type ActionResult } from "@/lib/http/actor-action";
import { markInboxSeen } from "@/lib/notifications";

const seen = actorAction(z.object({}), async (actor) => {
  await markInboxSeen(actor);
  return { seen: true };
});

/** Sent by the Inbox page once it has shown the list: the badge counts what is new from then (the GET itself writes nothing). */
export async function markInboxSeenAction(_previous: unknown, _formData: FormData): Promise<ActionResult<{ seen: boolean }>> {
  return seen({});
}
