import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { createUpload, CreateUploadSchema } from "@/lib/exchanges";
import { readJsonBody } from "@/lib/http/json-body";
import { withActor } from "@/lib/http/with-actor";

/**
 * Starts an upload: the file's name, type and message travel here; its bytes go to PUT /api/uploads/:id, or, for
 * `transfer: "parts"`, part by part to PUT /api/uploads/:id/parts/:n and then POST /api/uploads/:id/complete.
 */
export const POST = withActor(async ({ request, actor }) => {
  const parsed = CreateUploadSchema.safeParse(await readJsonBody(request));
  if (!parsed.success) throw new AppError("invalid_input", z.prettifyError(parsed.error), `Check the upload: ${parsed.error.issues.map((issue) => issue.message).join("; ")}.`);
  const { exchangeId, parts } = await createUpload(actor, parsed.data);
  const contentUrl = `/api/uploads/${exchangeId}`;
  return Response.json(parts ? { exchangeId, contentUrl, partsUrl: `${contentUrl}/parts`, ...parts } : { exchangeId, contentUrl }, { status: 201 });
});
