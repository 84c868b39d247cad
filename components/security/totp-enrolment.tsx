"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useId, type ReactNode } from "react";
import type { FormAction } from "../types";
import { RecoveryCodeList } from "./recovery-code-list";

type Codes = { recoveryCodes: string[] };

/**
 * Enrolment in two steps: a new secret (QR code, and the same secret as text for manual entry), then a first code
 * that confirms it, which returns the recovery codes, shown once.
 */
export function TotpEnrolment({
  enrolled,
  startAction,
  confirmAction,
  regenerateAction,
  stepUp,
}: {
  enrolled: boolean;
  startAction: FormAction<{ secret: string; qrCode: string }>;
  confirmAction: FormAction<Codes>;
  regenerateAction: FormAction<Codes>;
  stepUp: ReactNode;
}) {
  const [started, start, starting] = useActionState(startAction, null);
  const [confirmed, confirm, confirming] = useActionState(confirmAction, null);
  const [regenerated, regenerate, regenerating] = useActionState(regenerateAction, null);
  const router = useRouter();
  const ids = { code: useId(), secret: useId(), error: useId() };

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
  const needsStepUp = [started, regenerated].some((state) => state?.ok === false && state.code === "mfa_required");

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
            <div className="field">
              <label htmlFor={ids.code}>The 6-digit code your app now shows</label>
              <input
                id={ids.code}
                name="code"
                className="code-input"
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                required
                aria-invalid={confirmed?.ok === false ? true : undefined}
                aria-describedby={confirmed?.ok === false ? ids.error : undefined}
                data-testid="totp-confirm-code"
              />
            </div>
            {confirmed?.ok === false ? (
              <p className="notice notice-error" id={ids.error} data-testid="totp-confirm-error">
                {confirmed.message}
              </p>
            ) : null}
            <div className="form-actions">
              <button type="submit" className="button button-primary" disabled={confirming} data-testid="totp-confirm">
                {confirming ? "Checking…" : "Confirm and turn on"}
              </button>
            </div>
          </form>
        </div>
      ) : (
        <form action={start} data-testid="totp-start-form">
          {/* Without scripts the page comes back without the set-up panel, so a refusal is said here too. */}
          {confirmed?.ok === false ? (
            <p className="notice notice-error" data-testid="totp-confirm-error">
              {confirmed.message}
            </p>
          ) : null}
          <button type="submit" className="button button-primary" disabled={starting} data-testid="totp-start">
            {enrolled ? "Set up a new authenticator app" : "Set up an authenticator app"}
          </button>
        </form>
      )}

      {enrolled ? (
        <form action={regenerate} data-testid="recovery-regenerate-form">
          <button type="submit" className="button" disabled={regenerating} data-testid="recovery-regenerate">
            Make new recovery codes
          </button>
        </form>
      ) : null}
      {regenerated?.ok ? <RecoveryCodeList codes={regenerated.value.recoveryCodes} /> : null}

      {needsStepUp ? stepUp : [started, regenerated].map((state, index) => (state?.ok === false ? <p key={index} className="notice notice-error">{state.message}</p> : null))}
    </div>
  );
}
