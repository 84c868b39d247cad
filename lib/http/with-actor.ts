import "server-only";
import { requireActor, type Actor } from "../auth";
import { AppError } from "../errors/app-error";
import { errorResponse } from "./respond";
import { isCrossSiteWrite } from "./same-origin";

type RouteContext<P> = { params: Promise<P> };

/**
 * The one wrapper every authenticated route handler uses: same-site check, session check, and errors mapped to
 * status codes with a message a person can act on.
 */
export function withActor<P extends Record<string, string>>(handler: (input: { request: Request; actor: Actor; params: P }) => Promise<Response>) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    try {
      if (isCrossSiteWrite(request)) throw new AppError("forbidden", "cross-site write refused");
      const actor = await requireActor();
      return await handler({ request, actor, params: await context.params });
    } catch (error) {
      return errorResponse(error);
    }
  };
}
