import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth";
import { guardedSignIn } from "@/lib/http/sign-in-guard";

async function handler(request: NextRequest, context: { params: Promise<{ nextauth: string[] }> }) {
  return guardedSignIn(request, (guarded) => NextAuth(guarded as never, context as never, authOptions()));
}

export { handler as GET, handler as POST };
