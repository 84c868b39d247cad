import "server-only";
import { log } from "../log";
import type { z } from "zod";
import { requireActor, type Actor } from "../auth";
import { AppError, asAppError, type AppErrorCode } from "../errors/app-error";
import { retryAfterOf } from "../rate-limit";

/** What every server action returns: a value, or a code and a sentence for people (never an exception message). */
export type ActionResult<T> = { ok: true; value: T } | { ok: false; code: AppErrorCode; message: string; retryAfterSeconds: number | null };

function failure(error: unknown): ActionResult<never> {
  const appError = asAppError(error);
  if (appError.status >= 500) log.error({ code: appError.code, internal: appError.internal }, "action failed");
  return { ok: false, code: appError.code, message: appError.userMessage, retryAfterSeconds: retryAfterOf(appError) };
}

/**
 * The one wrapper for server actions (Next already checks their Origin): the signed-in person, the input parsed with
 * `schema`, one lib call, and errors turned into a typed result.
 */
export function actorAction<S extends z.ZodType, T>(schema: S, work: (actor: Actor, input: z.output<S>) => Promise<T>) {
  return async (raw: unknown): Promise<ActionResult<T>> => {
    try {
      const actor = await requireActor();
      const parsed = schema.safeParse(raw);
      if (!parsed.success) throw new AppError("invalid_input", parsed.error.message, parsed.error.issues[0]?.message ?? undefined);
      return { ok: true, value: await work(actor, parsed.data) };
    } catch (error) {
      return failure(error);
    }
  };
}
