import { openDownload } from "@/lib/exchanges";
import { downloadResponse } from "@/lib/http/download-response";
import { withActor } from "@/lib/http/with-actor";

/** An exchange's decrypted content, streamed to a member of the recipient organization. */
export const GET = withActor<{ id: string }>(async ({ actor, params }) => downloadResponse(await openDownload(actor, params.id)));
