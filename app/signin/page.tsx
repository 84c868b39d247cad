import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentActor } from "@/lib/auth";
import { SignInForm } from "@/components/sign-in-form";
import { safeCallbackPath } from "@/components/safe-redirect";

export const metadata: Metadata = { title: "Sign in" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const callbackPath = safeCallbackPath(first(params.callbackUrl));
  // Someone already signed in has nothing to do here; "sign in again" signs out first.
  if (await currentActor()) redirect(callbackPath);
  const error = first(params.error);

  return (
    <main className="centered-page">
      <div className="card narrow">
        <p className="brand brand-large" aria-hidden="true">
          <span className="brand-mark">K</span> Keybridge
        </p>
        <h1>Sign in</h1>
        <p className="muted">Exchange files securely with your partner organizations.</p>
        <SignInForm callbackPath={callbackPath} initialError={error ?? null} />
      </div>
    </main>
  );
}
