import { cancelUpload } from "@/lib/exchanges";
import { withActor } from "@/lib/http/with-actor";

/** Discards an unfinished upload: its stored parts and its row go; a finished exchange is never touched here. */
export const DELETE = withActor<{ id: string }>(async ({ actor, params }) => {
  await cancelUpload(actor, params.id);
  return new Response(null, { status: 204 });
});
