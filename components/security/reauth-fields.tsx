"use client";

import { useId, useState } from "react";

/**
 * The proof a change of factors asks for: the current password and, for someone who has an authenticator, a current
 * code from it (or a recovery code). The password is kept in state, so a refused attempt does not make anyone type it
 * again; the code is left to the form's reset after each submit, since a code works once anyway.
 */
export function ReauthFields({ enrolled, prefix, errorId, invalid }: { enrolled: boolean; prefix: string; errorId: string; invalid: boolean }) {
  const [password, setPassword] = useState("");
  const ids = { password: useId(), code: useId(), codeHelp: useId() };
  return (
    <fieldset className="stack-small">
      <legend>Confirm it is you</legend>
      <div className="field">
        <label htmlFor={ids.password}>Current password</label>
        <input
          id={ids.password}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          aria-invalid={invalid ? true : undefined}
          aria-describedby={invalid ? errorId : undefined}
          data-testid={`${prefix}-password`}
        />
      </div>
      {enrolled ? (
        <div className="field">
          <label htmlFor={ids.code}>Code from your current authenticator app</label>
          <p className="hint" id={ids.codeHelp}>
            Lost your phone? Enter one of your recovery codes instead.
          </p>
          <input
            id={ids.code}
            name="code"
            className="code-input"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={11}
            required
            aria-invalid={invalid ? true : undefined}
            aria-describedby={invalid ? `${ids.codeHelp} ${errorId}` : ids.codeHelp}
            data-testid={`${prefix}-code`}
          />
        </div>
      ) : null}
    </fieldset>
  );
}
