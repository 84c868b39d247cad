import { z } from "zod";
import { CreateUploadRequestSchema, partsPath, type CreatedUpload } from "@/lib/contract/transfer";
import { AppError } from "@/lib/errors/app-error";
import { createUpload } from "@/lib/exchanges";
import { readJsonBody } from "@/lib/http/json-body";
import { withActor } from "@/lib/http/with-actor";

/**
 * Starts an upload: the file's name, type and message travel here; its bytes go part by part to
 * PUT /api/uploads/:id/parts/:n, and POST /api/uploads/:id/complete finishes it (lib/contract/transfer.ts).
 */
export const POST = withActor(async ({ request, actor }) => {
  const parsed = CreateUploadRequestSchema.safeParse(await readJsonBody(request));
  if (!parsed.success) throw new AppError("invalid_input", z.prettifyError(parsed.error), `Check the upload: ${parsed.error.issues.map((issue) => issue.message).join("; ")}.`);
  const { exchangeId, parts } = await createUpload(actor, parsed.data);
  const created: CreatedUpload = { exchangeId, partsUrl: partsPath(exchangeId), ...parts };
  return Response.json(created, { status: 201 });
});
