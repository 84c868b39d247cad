import { openDownload } from "@/lib/exchanges";
import { downloadResponse } from "@/lib/http/download-response";
import { getOnly } from "@/lib/http/get-only";
import { withActor } from "@/lib/http/with-actor";

/** An exchange's decrypted content, streamed to a member of the recipient organization; parted ones resume with Range. */
export const GET = withActor<{ id: string }>(async ({ request, actor, params }) =>
  downloadResponse(await openDownload(actor, params.id, { range: request.headers.get("range"), ifRange: request.headers.get("if-range") })),
);

/** Headers only would still mean deciding access and reading the sealed size: HEAD is refused instead. */
export const HEAD = getOnly;
