import type { UploadStatus } from "@/lib/contract/transfer";
import { partedUploadStatus } from "@/lib/exchanges";
import { withActor } from "@/lib/http/with-actor";

/** Which parts of a parted upload the server holds, with each one's digest: what a browser needs to resume it. */
export const GET = withActor<{ id: string }>(async ({ actor, params }) => {
  const status: UploadStatus = await partedUploadStatus(actor, params.id);
  return Response.json(status, { headers: { "Cache-Control": "no-store" } });
});
