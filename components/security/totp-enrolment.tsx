"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useId } from "react";
import { CodeField } from "../code-field";
import { RefusalNotice } from "../refusal-notice";
import { SubmitRow } from "../submit-row";
import type { ActionState, FormAction } from "../types";
import { ReauthFields } from "./reauth-fields";
import { RecoveryCodeList } from "./recovery-code-list";

type Codes = { recoveryCodes: string[] };

const proofRefused = (state: ActionState<unknown>) => state?.ok === false && ["password_invalid", "mfa_invalid", "mfa_required", "invalid_input"].includes(state.code);

/**
 * Enrolment in two steps: a new secret (QR code, and the same secret as text for manual entry), then a first code
 * that confirms it, which returns the recovery codes, shown once. Starting it, and making new recovery codes, ask for
 * the password and (once an authenticator exists) a current code: a session alone does not change factors.
 */
export function TotpEnrolment({
  enrolled,
  startAction,
  confirmAction,
  regenerateAction,
}: {
  enrolled: boolean;
  startAction: FormAction<{ secret: string; qrCode: string }>;
  confirmAction: FormAction<Codes>;
  regenerateAction: FormAction<Codes>;
}) {
  const [started, start, starting] = useActionState(startAction, null);
  const [confirmed, confirm, confirming] = useActionState(confirmAction, null);
  const [regenerated, regenerate, regenerating] = useActionState(regenerateAction, null);
  const router = useRouter();
  const ids = { code: useId(), secret: useId(), error: useId(), startError: useId(), regenerateError: useId() };

  useEffect(() => {
    if (confirmed?.ok || regenerated?.ok) router.refresh();
  }, [confirmed, regenerated, router]);

  if (confirmed?.ok) {
    return (
      <div className="stack" data-testid="totp-enrolled">
        <p>Your authenticator app is set up. From now on, Keybridge asks for its code at sign-in and before decrypting files.</p>
        <RecoveryCodeList codes={confirmed.value.recoveryCodes} />
      </div>
    );
  }

  return (
    <div className="stack">
      {started?.ok ? (
        <div className="stack-small" data-testid="totp-setup">
          <p>Scan this QR code with your authenticator app (for example Google Authenticator, Microsoft Authenticator or 1Password).</p>
          <img src={started.value.qrCode} alt="QR code for your authenticator app" width={200} height={200} data-testid="totp-qr" />
          <p id={ids.secret}>
            Cannot scan it? Enter this key instead: <code data-testid="totp-secret">{started.value.secret}</code>
          </p>
          <form action={confirm} className="stack-small" data-testid="totp-confirm-form">
            <CodeField
              id={ids.code}
              label="The 6-digit code your app now shows"
              acceptsRecoveryCode={false}
              errorId={confirmed?.ok === false ? ids.error : undefined}
              testId="totp-confirm-code"
            />
            <RefusalNotice state={confirmed} id={ids.error} testId="totp-confirm-error" />
            <SubmitRow pending={confirming} pendingLabel="Checking…" primary testId="totp-confirm">
              Confirm and turn on
            </SubmitRow>
          </form>
        </div>
      ) : (
        <form action={start} className="stack-small" data-testid="totp-start-form">
          <p>{enrolled ? "To set up a new authenticator app, confirm it is you first. The current one keeps working until the new one is confirmed." : "To set up an authenticator app, confirm it is you with your password."}</p>
          <ReauthFields enrolled={enrolled} prefix="totp-start" errorId={ids.startError} invalid={proofRefused(started)} />
          {/* Without scripts the page comes back without the set-up panel, so a refusal is said here too. */}
          <RefusalNotice state={confirmed} testId="totp-confirm-error" />
          <RefusalNotice state={started} id={ids.startError} testId="totp-start-error" />
          <SubmitRow pending={starting} primary testId="totp-start">
            {enrolled ? "Set up a new authenticator app" : "Set up an authenticator app"}
          </SubmitRow>
        </form>
      )}

      {enrolled ? (
        <form action={regenerate} className="stack-small" data-testid="recovery-regenerate-form">
          <h3>Recovery codes</h3>
          <p>New recovery codes replace all the old ones. Confirm it is you first.</p>
          <ReauthFields enrolled={enrolled} prefix="recovery-regenerate" errorId={ids.regenerateError} invalid={proofRefused(regenerated)} />
          <RefusalNotice state={regenerated} id={ids.regenerateError} testId="recovery-regenerate-error" />
          <SubmitRow pending={regenerating} testId="recovery-regenerate">
            Make new recovery codes
          </SubmitRow>
        </form>
      ) : null}
      {regenerated?.ok ? <RecoveryCodeList codes={regenerated.value.recoveryCodes} /> : null}
    </div>
  );
}
