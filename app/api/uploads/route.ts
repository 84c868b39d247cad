import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { createUpload, CreateUploadSchema } from "@/lib/exchanges";
import { readJsonBody } from "@/lib/http/json-body";
import { withActor } from "@/lib/http/with-actor";

/** Starts an upload: the file's name, type and message travel here, its bytes go to PUT /api/uploads/:id. */
export const POST = withActor(async ({ request, actor }) => {
  const parsed = CreateUploadSchema.safeParse(await readJsonBody(request));
  if (!parsed.success) throw new AppError("invalid_input", z.prettifyError(parsed.error), `Check the upload: ${parsed.error.issues.map((issue) => issue.message).join("; ")}.`);
  const { exchangeId } = await createUpload(actor, parsed.data);
  return Response.json({ exchangeId, contentUrl: `/api/uploads/${exchangeId}` }, { status: 201 });
});
