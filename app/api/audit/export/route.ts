import { z } from "zod";
import { exportAuditEvents } from "@/lib/audit/export-events";
import { exchangesNamedLike } from "@/lib/exchanges";
import { attachmentDisposition } from "@/lib/http/content-disposition";
import { withActor } from "@/lib/http/with-actor";

const FormatSchema = z.enum(["csv", "jsonl"]).catch("csv");

/** GET /api/audit/export?format=csv|jsonl&<dashboard filters>: the filtered view (file-name matches included), streamed. */
export const GET = withActor(async ({ request, actor }) => {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const exported = await exportAuditEvents(actor, params, FormatSchema.parse(params.format), await exchangesNamedLike(actor, params.q));
  return new Response(exported.body, {
    headers: { "Content-Type": exported.contentType, "Content-Disposition": attachmentDisposition(exported.fileName), "Cache-Control": "no-store" },
  });
});
