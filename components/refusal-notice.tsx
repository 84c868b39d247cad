import type { ActionState } from "./types";

/** Why a server action refused the form's last submit, in the action's own words; nothing before a submit or after a success. */
export function RefusalNotice({ state, id, testId }: { state: ActionState<unknown>; id?: string; testId: string }) {
  if (state?.ok !== false) return null;
  return (
    <p className="notice notice-error" id={id} data-testid={testId}>
      {state.message}
    </p>
  );
}
