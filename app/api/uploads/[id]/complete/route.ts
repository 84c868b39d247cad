import { completeUpload } from "@/lib/exchanges";
import { withActor } from "@/lib/http/with-actor";

/** Finishes a parted upload once all its parts are stored; names the missing ones otherwise. */
export const POST = withActor<{ id: string }>(async ({ actor, params }) => Response.json(await completeUpload(actor, params.id), { status: 200 }));
