"use client";

import { useActionState, useId } from "react";
import type { FormAction } from "@/components/types";

/** One locked person's Unlock button; works as a plain form post before scripts load. */
export function UnlockForm({ userId, name, action }: { userId: string; name: string; action: FormAction<{ userId: string }> }) {
  const [state, submit, pending] = useActionState(action, null);
  const errorId = useId();
  if (state?.ok) {
    return (
      <p role="status" data-testid="unlocked">
        Unlocked
      </p>
    );
  }
  return (
    <form action={submit} data-testid="unlock-form">
      <input type="hidden" name="userId" value={userId} />
      <button type="submit" className="button" disabled={pending} aria-describedby={state?.ok === false ? errorId : undefined} data-testid="unlock">
        {pending ? "Unlocking…" : "Unlock"}
        <span className="visually-hidden"> {name}</span>
      </button>
      {state?.ok === false ? (
        <p className="notice notice-error" id={errorId}>
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
