import { TextField, type TextFieldProps } from "./text-field";

const AUTHENTICATOR_CODE_LENGTH = 6;
/** A recovery code is two groups of five, with the dash between them (abcde-fghij). */
const RECOVERY_CODE_LENGTH = 11;

/**
 * The field for a code from the authenticator app, posted as `code`: a numeric keyboard and the browser's one-time-code
 * autofill, but letters still allowed, since where `acceptsRecoveryCode` a recovery code may go in the same field.
 */
export function CodeField({ acceptsRecoveryCode, ...field }: Omit<TextFieldProps, "name" | "type" | "className" | "inputMode" | "autoComplete" | "maxLength" | "required"> & { acceptsRecoveryCode: boolean }) {
  return (
    <TextField
      {...field}
      name="code"
      // Explicit, so the stylesheet's input[type="text"] rule styles every code box alike (some were unstyled).
      type="text"
      className="code-input"
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={acceptsRecoveryCode ? RECOVERY_CODE_LENGTH : AUTHENTICATOR_CODE_LENGTH}
      required
    />
  );
}
