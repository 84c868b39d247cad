import type { ComponentProps, ReactNode } from "react";

/** Help shown between a field's label and its input, and read out with the input. */
export interface FieldHint {
  id: string;
  text: ReactNode;
  testId?: string;
}

export type TextFieldProps = Omit<ComponentProps<"input">, "id" | "children" | "aria-invalid" | "aria-describedby"> & {
  id: string;
  label: ReactNode;
  hint?: FieldHint;
  /** While the value stands refused: the id of the message saying why, so the input is marked invalid and described by it. */
  errorId?: string;
  testId?: string;
  /** Shown inside the field, after the input. */
  after?: ReactNode;
};

/** A labelled input in the form layout (`.field`): label, hint, input; the input describes itself by the hint and the error. */
export function TextField({ id, label, hint, errorId, testId, after, ...input }: TextFieldProps) {
  const describedBy = [hint?.id, errorId].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={hint.id} data-testid={hint.testId}>
          {hint.text}
        </p>
      ) : null}
      <input {...input} id={id} aria-invalid={errorId ? true : undefined} aria-describedby={describedBy || undefined} data-testid={testId} />
      {after}
    </div>
  );
}
