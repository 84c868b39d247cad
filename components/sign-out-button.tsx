"use client";

import { signOut } from "next-auth/react";
import { useState, type ReactNode } from "react";

/** Ends the session on the server (it is revoked, not just forgotten) and goes to `callbackUrl`. */
export function SignOutButton({ callbackUrl = "/signin", className = "button button-quiet", children = "Sign out" }: { callbackUrl?: string; className?: string; children?: ReactNode }) {
  const [pending, setPending] = useState(false);
  const [failed, setFailed] = useState(false);
  return (
    <>
      <button
        type="button"
        className={className}
        disabled={pending}
        aria-busy={pending}
        onClick={async () => {
          setPending(true);
          setFailed(false);
          try {
            await signOut({ callbackUrl });
          } catch {
            setFailed(true);
            setPending(false);
          }
        }}
      >
        {pending ? "Signing out…" : children}
      </button>
      {failed ? (
        <span className="inline-error" role="status" data-testid="signout-error">
          Could not sign out. Check your connection and try again.
        </span>
      ) : null}
    </>
  );
}
