import { partedUploadStatus } from "@/lib/exchanges";
import { withActor } from "@/lib/http/with-actor";

/** Which parts of a parted upload the server holds: what a browser needs to resume it. */
export const GET = withActor<{ id: string }>(async ({ actor, params }) => Response.json(await partedUploadStatus(actor, params.id), { headers: { "Cache-Control": "no-store" } }));
