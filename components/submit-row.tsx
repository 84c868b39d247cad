import type { ReactNode } from "react";

/** A form's actions row with its submit button, disabled while the submit is pending, and then saying `pendingLabel` if there is one. */
export function SubmitRow({ pending, pendingLabel, primary = false, testId, children }: { pending: boolean; pendingLabel?: string; primary?: boolean; testId: string; children: ReactNode }) {
  return (
    <div className="form-actions">
      <button type="submit" className={primary ? "button button-primary" : "button"} disabled={pending} data-testid={testId}>
        {pending && pendingLabel ? pendingLabel : children}
      </button>
    </div>
  );
}
