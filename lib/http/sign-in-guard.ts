import "server-only";
import { signInRefusal } from "../auth/sign-in-limits";
import { getConfig } from "../config";
import { clientAddress, PEER_ADDRESS_HEADER } from "../net/client-address";

const MESSAGES = {
  account_locked: "This account is locked for a while after too many failed sign-ins. Wait, then try again, or ask your administrator.",
  rate_limited: "Too many failed sign-ins from your address. Wait a few minutes, then try again.",
} as const;

/**
 * A credentials sign-in refused before next-auth runs, as HTTP 429 with Retry-After. The body keeps next-auth's
 * `url` shape (with `?error=`) so its client shows the reason like any other sign-in error.
 */
export async function limitedSignInResponse(request: Request): Promise<Response | null> {
  if (request.method !== "POST" || !new URL(request.url).pathname.endsWith("/callback/credentials")) return null;
  const form = await request.clone().formData().catch(() => null);
  const email = form?.get("email");
  if (typeof email !== "string") return null;
  const address = request.headers.has(PEER_ADDRESS_HEADER) ? clientAddress(request.headers, getConfig().trustedProxies) : null;
  const refusal = await signInRefusal(email, { address, userAgent: request.headers.get("user-agent") });
  if (!refusal) return null;
  const url = new URL(`/signin?error=${refusal.error}`, request.url).toString();
  return Response.json(
    { url, error: { code: refusal.error, message: MESSAGES[refusal.error] } },
    { status: 429, headers: { "Retry-After": String(refusal.retryAfterSeconds), "Cache-Control": "no-store" } },
  );
}
