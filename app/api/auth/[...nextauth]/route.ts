import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth";
import { limitedSignInResponse } from "@/lib/http/sign-in-guard";

async function handler(request: Request, context: { params: Promise<{ nextauth: string[] }> }) {
  return (await limitedSignInResponse(request)) ?? NextAuth(request as never, context as never, authOptions());
}

export { handler as GET, handler as POST };
