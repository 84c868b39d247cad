import { downloadResponse } from "@/lib/http/download-response";
import { getOnly } from "@/lib/http/get-only";
import { withActor } from "@/lib/http/with-actor";
import { linkDownload } from "@/lib/links";

/** A share link's file, through the same decrypt path as an exchange download; resumes with Range unless a download limit applies. */
export const GET = withActor<{ token: string }>(async ({ request, actor, params }) =>
  downloadResponse(await linkDownload(actor, params.token, { range: request.headers.get("range"), ifRange: request.headers.get("if-range") })),
);

/** Headers only would still mean deciding access and reading the sealed size: HEAD is refused instead. */
export const HEAD = getOnly;
