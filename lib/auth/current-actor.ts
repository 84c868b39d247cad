import "server-only";
import { getToken } from "next-auth/jwt";
import { cookies, headers } from "next/headers";
import { getConfig } from "../config";
import { AppError } from "../errors/app-error";
import { clientAddress } from "../net/client-address";
import type { Actor } from "./actor";
import { loadSessionActor } from "./sessions";

/** The signed-in person of the current request, checked against the session table (so sign-out and revocation bite at once). */
export async function currentActor(): Promise<Actor | null> {
  const config = getConfig();
  const [cookieStore, headerList] = await Promise.all([cookies(), headers()]);
  const token = await getToken({ req: { cookies: cookieStore, headers: headerList } as never, secret: config.authSecret });
  if (!token || typeof token.sid !== "string") return null;
  return loadSessionActor(token.sid, { address: clientAddress(headerList, config.trustedProxies), userAgent: headerList.get("user-agent") });
}

export async function requireActor(): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) throw new AppError("unauthenticated");
  return actor;
}
