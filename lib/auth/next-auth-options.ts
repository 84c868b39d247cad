import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getConfig } from "../config";
import { clientAddress, PEER_ADDRESS_HEADER } from "../net/client-address";
import { revokeSession } from "./sessions";
import { signIn } from "./sign-in";
import { noteSignInRefusal } from "./sign-in-refusal-scope";

function headerBag(raw: Record<string, unknown> | undefined): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw ?? {})) if (typeof value === "string") headers.set(name, value);
  return headers;
}

/** Sign-in errors the form understands; anything else shows as invalid credentials. */
export const SIGN_IN_ERRORS = ["invalid_credentials", "mfa_required", "mfa_invalid", "rate_limited", "account_locked"] as const;

export function authOptions(): NextAuthOptions {
  const config = getConfig();
  return {
    secret: config.authSecret,
    session: { strategy: "jwt", maxAge: config.sessionMaxAgeSeconds },
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { type: "email" }, password: { type: "password" }, code: { type: "text" } },
        async authorize(credentials, request) {
          const headers = headerBag(request.headers);
          const outcome = await signIn(credentials, {
            address: headers.has(PEER_ADDRESS_HEADER) ? clientAddress(headers, config.trustedProxies) : null,
            userAgent: headers.get("user-agent"),
          });
          // next-auth turns a thrown error's message into the `error` the form receives.
          if (!outcome.ok) {
            if ("retryAfterSeconds" in outcome) noteSignInRefusal({ error: outcome.error, retryAfterSeconds: outcome.retryAfterSeconds });
            throw new Error(outcome.error);
          }
          return { id: outcome.userId, sid: outcome.sessionId };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user && "sid" in user && typeof user.sid === "string") token.sid = user.sid;
        return token;
      },
      // The browser only learns that it is signed in; the session id stays inside the encrypted JWT.
      session({ session }) {
        return { expires: session.expires };
      },
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.sid === "string") await revokeSession(token.sid);
      },
    },
  };
}
