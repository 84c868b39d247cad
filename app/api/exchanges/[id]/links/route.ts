import { AppError } from "@/lib/errors/app-error";
import { readJsonBody } from "@/lib/http/json-body";
import { withActor } from "@/lib/http/with-actor";
import { createLink, listLinks } from "@/lib/links";

/** The same use-cases as the exchange page's forms, for scripts and tests: JSON in, JSON out. */
export const GET = withActor<{ id: string }>(async ({ actor, params }) => Response.json({ links: await listLinks(actor, params.id) }, { headers: { "Cache-Control": "no-store" } }));

export const POST = withActor<{ id: string }>(async ({ request, actor, params }) => {
  const body = await readJsonBody(request);
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new AppError("invalid_input", "link body is not an object", "Send the link's settings as a JSON object.");
  const created = await createLink(actor, { ...body, exchangeId: params.id });
  return Response.json(created, { status: 201, headers: { "Cache-Control": "no-store" } });
});
