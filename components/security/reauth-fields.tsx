"use client";

import { useId, useState } from "react";
import { CodeField } from "../code-field";
import { PasswordField } from "../password-field";

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
      <PasswordField
        id={ids.password}
        label="Current password"
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        errorId={invalid ? errorId : undefined}
        testId={`${prefix}-password`}
      />
      {enrolled ? (
        <CodeField
          id={ids.code}
          label="Code from your current authenticator app"
          hint={{ id: ids.codeHelp, text: "Lost your phone? Enter one of your recovery codes instead." }}
          acceptsRecoveryCode
          errorId={invalid ? errorId : undefined}
          testId={`${prefix}-code`}
        />
      ) : null}
    </fieldset>
  );
}
