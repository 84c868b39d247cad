import "server-only";
import { NextRequest } from "next/server";
import { withSignInRefusalScope } from "../auth/sign-in-refusal-scope";
import { APP_ERRORS } from "../errors/app-error";

/** A sign-in form is an email, a password, a code, a CSRF token and a callback URL: a few hundred bytes. */
export const SIGN_IN_BODY_LIMIT = 8 * 1024;

const MESSAGES = {
  account_locked:
    "This account is locked after too many failed sign-ins. Enter your password and a code from your authenticator app (or a recovery code) to sign in anyway, wait, or ask an administrator of your organization to unlock it.",
  rate_limited: "Too many failed sign-ins from your address. Wait a few minutes, then try again.",
} as const;

const noStore = { "Cache-Control": "no-store" };

/** Reads at most `limit` bytes of the body; null when there is more (the rest is never read or kept). */
async function boundedBody(request: Request, limit: number): Promise<Uint8Array | null> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) return null;
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > limit) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}

/**
 * The credentials sign-in around next-auth: its body is read with a small bound (next-auth would read any size),
 * and a sign-in the attempt budgets refused (lib/auth/sign-in.ts decides, atomically, before any password is looked
 * at) answers HTTP 429 with Retry-After. The JSON keeps next-auth's `url` shape (with `?error=`) so its client shows
 * the reason like any other sign-in error; a form posted without scripts is redirected to the sign-in page instead.
 */
export async function guardedSignIn(request: NextRequest, handle: (request: NextRequest) => Promise<Response>): Promise<Response> {
  if (request.method !== "POST" || !request.nextUrl.pathname.endsWith("/callback/credentials")) return handle(request);
  const body = await boundedBody(request, SIGN_IN_BODY_LIMIT);
  if (body === null) {
    const { status, message, retryable } = APP_ERRORS.request_too_large;
    return Response.json({ error: { code: "request_too_large", message, retryable } }, { status, headers: { ...noStore, Connection: "close" } });
  }
  const replayed = new NextRequest(request.url, { method: request.method, headers: request.headers, body: body as BodyInit });
  const { result: response, refusal } = await withSignInRefusalScope(() => handle(replayed));
  if (!refusal) return response;
  const retryAfter = String(refusal.retryAfterSeconds);
  if (!response.headers.get("content-type")?.includes("application/json")) {
    const redirected = new Response(response.body, response);
    redirected.headers.set("Retry-After", retryAfter);
    return redirected;
  }
  const url = new URL(`/signin?error=${refusal.error}`, request.url).toString();
  const headers = new Headers(response.headers);
  headers.set("Retry-After", retryAfter);
  headers.set("Cache-Control", "no-store");
  headers.delete("content-length");
  return new Response(JSON.stringify({ url, error: { code: refusal.error, message: MESSAGES[refusal.error] } }), { status: 429, headers });
}
