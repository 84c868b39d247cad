import { TextField, type TextFieldProps } from "./text-field";

/** The person's current password, posted as `password`, marked so that password managers fill it in. */
export function PasswordField(field: Omit<TextFieldProps, "name" | "type" | "autoComplete" | "required">) {
  return <TextField {...field} name="password" type="password" autoComplete="current-password" required />;
}
