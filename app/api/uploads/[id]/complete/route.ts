import { z } from "zod";
import { CompleteUploadRequestSchema, type CompletedUpload } from "@/lib/contract/transfer";
import { AppError } from "@/lib/errors/app-error";
import { completeUpload } from "@/lib/exchanges";
import { readJsonBody } from "@/lib/http/json-body";
import { withActor } from "@/lib/http/with-actor";

/**
 * Finishes a parted upload once all its parts are stored, sealing the whole file's SHA-256 the client declares;
 * names the missing parts otherwise.
 */
export const POST = withActor<{ id: string }>(async ({ request, actor, params }) => {
  const parsed = CompleteUploadRequestSchema.safeParse(await readJsonBody(request));
  if (!parsed.success)
    throw new AppError("invalid_input", z.prettifyError(parsed.error), "Finishing an upload needs the SHA-256 of the whole file as it was read (JSON: { \"sha256\": \"<64 hexadecimal characters>\" }).");
  const completed: CompletedUpload = await completeUpload(actor, params.id, parsed.data.sha256);
  return Response.json(completed, { status: 200 });
});
