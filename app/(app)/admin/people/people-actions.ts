"use server";

import { revalidatePath } from "next/cache";
import { unlockAccount, UnlockAccountSchema } from "@/lib/auth";
import { actorAction } from "@/lib/http/actor-action";

const unlock = actorAction(UnlockAccountSchema, async (actor, input) => {
  const unlocked = await unlockAccount(actor, input);
  revalidatePath("/admin/people");
  return unlocked;
});

/** An org admin's Unlock button on the People page. */
export async function unlockAccountAction(_previous: unknown, formData: FormData) {
  return unlock({ userId: formData.get("userId") });
}
