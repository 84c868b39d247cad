"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useId, useState } from "react";
import { CopyButton } from "../copy-button";
import { RefusalNotice } from "../refusal-notice";
import { SubmitRow } from "../submit-row";
import type { FormAction } from "../types";

export interface CreatedLinkResult {
  url: string;
  qrCode: string;
  expiresAt: string;
}

const EXPIRY_CHOICES = [1, 3, 7, 14, 30, 60, 90] as const;

/** Creates a share link; the link itself is shown once, here, and never again (only its hash is kept). */
export function CreateLinkForm({
  action,
  exchangeId,
  recipientOrgName,
  people,
}: {
  action: FormAction<CreatedLinkResult>;
  exchangeId: string;
  recipientOrgName: string;
  people: Array<{ id: string; displayName: string; email: string }>;
}) {
  const [state, submit, pending] = useActionState(action, null);
  const [audience, setAudience] = useState<"org" | "people">("org");
  const router = useRouter();
  const ids = { expiry: useId(), limit: useId(), note: useId(), error: useId(), people: useId() };

  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);

  return (
    <div className="stack">
      {state?.ok ? (
        <div className="notice" data-testid="created-link" role="status">
          <p>
            <strong>Link created.</strong> Copy it now: for safety it is shown only once.
          </p>
          <p className="hash-full">
            <code data-testid="created-link-url">{state.value.url}</code>
            <CopyButton value={state.value.url} label="Copy link" />
          </p>
          <img src={state.value.qrCode} alt="QR code of the link" width={160} height={160} data-testid="created-link-qr" />
        </div>
      ) : null}

      <form action={submit} className="stack-small" data-testid="create-link-form">
        <input type="hidden" name="exchangeId" value={exchangeId} />
        <div className="field">
          <label htmlFor={ids.expiry}>Expires after</label>
          <select id={ids.expiry} name="expiresInDays" defaultValue="7" data-testid="link-expiry">
            {EXPIRY_CHOICES.map((days) => (
              <option key={days} value={days}>
                {days === 1 ? "1 day" : `${days} days`}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.limit}>
            Download limit <span className="optional">(optional)</span>
          </label>
          <input id={ids.limit} name="maxDownloads" type="number" min={1} max={10000} inputMode="numeric" data-testid="link-limit" />
          <p className="hint">Only finished downloads count; one cut off half-way gives its turn back.</p>
        </div>
        <fieldset className="field">
          <legend>Who can use it</legend>
          <label>
            <input type="radio" name="audience" value="org" checked={audience === "org"} onChange={() => setAudience("org")} /> Everyone at {recipientOrgName}
          </label>
          <label>
            <input type="radio" name="audience" value="people" checked={audience === "people"} onChange={() => setAudience("people")} data-testid="link-audience-people" /> Only
            the people I choose
          </label>
          {/* Rendered hidden rather than left out, so the form also works before scripts load. */}
          <div id={ids.people} className="stack-small" hidden={audience !== "people"}>
            {people.map((person) => (
              <label key={person.id}>
                <input type="checkbox" name="recipientUserIds" value={person.id} data-email={person.email} /> {person.displayName} <span className="muted">({person.email})</span>
              </label>
            ))}
          </div>
        </fieldset>
        <div className="field">
          <label htmlFor={ids.note}>
            Note <span className="optional">(optional)</span>
          </label>
          <textarea id={ids.note} name="note" rows={2} maxLength={1000} data-testid="link-note-input" />
          <p className="hint">Encrypted like the file name; only the recipients see it.</p>
        </div>
        <RefusalNotice state={state} id={ids.error} testId="create-link-error" />
        <SubmitRow pending={pending} pendingLabel="Creating…" primary testId="create-link">
          Create link
        </SubmitRow>
      </form>
    </div>
  );
}
