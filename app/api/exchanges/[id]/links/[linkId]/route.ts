import { withActor } from "@/lib/http/with-actor";
import { revokeLink } from "@/lib/links";

export const DELETE = withActor<{ id: string; linkId: string }>(async ({ actor, params }) => {
  await revokeLink(actor, { exchangeId: params.id, linkId: params.linkId });
  return new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
});
