import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";

export interface SignInRefusal {
  error: "account_locked" | "rate_limited";
  retryAfterSeconds: number;
}

/**
 * next-auth turns a refused sign-in into an error string and its own status; the HTTP layer needs the Retry-After the
 * budget computed. The sign-in request runs inside a scope that `authorize` leaves its refusal in.
 */
const scope = new AsyncLocalStorage<{ refusal: SignInRefusal | null }>();

export async function withSignInRefusalScope<T>(work: () => Promise<T>): Promise<{ result: T; refusal: SignInRefusal | null }> {
  const holder: { refusal: SignInRefusal | null } = { refusal: null };
  const result = await scope.run(holder, work);
  return { result, refusal: holder.refusal };
}

export function noteSignInRefusal(refusal: SignInRefusal): void {
  const holder = scope.getStore();
  if (holder) holder.refusal = refusal;
}
