import { withActor } from "@/lib/http/with-actor";
import { createLink, listLinks } from "@/lib/links";

/** The same use-cases as the exchange page's forms, for scripts and tests: JSON in, JSON out. */
export const GET = withActor<{ id: string }>(async ({ actor, params }) => Response.json({ links: await listLinks(actor, params.id) }, { headers: { "Cache-Control": "no-store" } }));

export const POST = withActor<{ id: string }>(async ({ request, actor, params }) => {
  const body = (await request.json().catch(() => ({}))) as Record<string, unknown>;
  const created = await createLink(actor, { ...body, exchangeId: params.id });
  return Response.json(created, { status: 201, headers: { "Cache-Control": "no-store" } });
});
