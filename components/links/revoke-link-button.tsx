"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect } from "react";
import type { FormAction } from "../types";

export function RevokeLinkButton({ action, exchangeId, linkId }: { action: FormAction<{ linkId: string }>; exchangeId: string; linkId: string }) {
  const [state, submit, pending] = useActionState(action, null);
  const router = useRouter();

  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);

  return (
    <form action={submit}>
      <input type="hidden" name="exchangeId" value={exchangeId} />
      <input type="hidden" name="linkId" value={linkId} />
      <button type="submit" className="button button-small" disabled={pending} data-testid="revoke-link">
        {pending ? "Revoking…" : "Revoke"}
      </button>
      {state?.ok === false ? (
        <span className="inline-error" role="alert">
          {state.message}
        </span>
      ) : null}
    </form>
  );
}
