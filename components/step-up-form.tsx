"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useId } from "react";
import type { FormAction } from "./types";

/**
 * Asks for a code from the authenticator app (or a recovery code) right where it is needed, then reloads the page's
 * server data so the download can go on; nobody has to sign in again.
 */
export function StepUpForm({ action, reason }: { action: FormAction<{ verifiedAt: string }>; reason: string }) {
  const [state, submit, pending] = useActionState(action, null);
  const router = useRouter();
  const ids = { code: useId(), help: useId(), error: useId() };

  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);

  return (
    <form action={submit} className="stack-small" data-testid="step-up-form" aria-describedby={ids.help}>
      <p id={ids.help}>{reason}</p>
      <div className="field">
        <label htmlFor={ids.code}>Code from your authenticator app</label>
        <input
          id={ids.code}
          name="code"
          className="code-input"
          inputMode="numeric"
          autoComplete="one-time-code"
          required
          maxLength={11}
          aria-invalid={state?.ok === false ? true : undefined}
          aria-describedby={state?.ok === false ? ids.error : undefined}
          data-testid="step-up-code"
        />
        <p className="hint">Lost your phone? Enter one of your recovery codes instead.</p>
      </div>
      {state?.ok === false ? (
        <p className="notice notice-error" id={ids.error} data-testid="step-up-error">
          {state.message}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={pending} data-testid="step-up-submit">
          {pending ? "Checking…" : "Confirm"}
        </button>
      </div>
    </form>
  );
}
