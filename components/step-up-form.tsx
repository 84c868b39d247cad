"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useId } from "react";
import { CodeField } from "./code-field";
import { RefusalNotice } from "./refusal-notice";
import { SubmitRow } from "./submit-row";
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
      <CodeField
        id={ids.code}
        label="Code from your authenticator app"
        acceptsRecoveryCode
        errorId={state?.ok === false ? ids.error : undefined}
        testId="step-up-code"
        after={<p className="hint">Lost your phone? Enter one of your recovery codes instead.</p>}
      />
      <RefusalNotice state={state} id={ids.error} testId="step-up-error" />
      <SubmitRow pending={pending} pendingLabel="Checking…" primary testId="step-up-submit">
        Confirm
      </SubmitRow>
    </form>
  );
}
