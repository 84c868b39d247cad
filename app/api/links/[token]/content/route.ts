import { downloadResponse } from "@/lib/http/download-response";
import { withActor } from "@/lib/http/with-actor";
import { linkDownload } from "@/lib/links";

/** A share link's file, through the same decrypt path as an exchange download; the slot counts once every byte went out. */
export const GET = withActor<{ token: string }>(async ({ actor, params }) => downloadResponse(await linkDownload(actor, params.token)));
