"use client";

import { useId, useState } from "react";
import type { Audience, PartnerOrganization } from "../types";

export interface AudienceFieldsProps {
  organizationName: string;
  people: PartnerOrganization["people"];
  audience: Audience;
  /** `complete` is false while "only the people I choose" has nobody ticked: there is nobody to send to yet. */
  onChange: (audience: Audience, complete: boolean) => void;
}

/**
 * Whom the transfer is for and how often it may be downloaded. Both are sealed with the file's details and hold on
 * every route (Inbox, share links, API); a share link can only narrow them later, so the wording says exactly that.
 */
export function AudienceFields({ organizationName, people, audience, onChange }: AudienceFieldsProps) {
  const ids = { who: useId(), limit: useId(), limitHint: useId() };
  const [named, setNamed] = useState(audience.recipientUserIds.length > 0);
  const chosen = new Set(audience.recipientUserIds);
  return (
    <>
      <fieldset className="field" data-testid="audience">
        <legend>Who can download</legend>
        <label>
          <input type="radio" name={ids.who} checked={!named} onChange={() => {
              setNamed(false);
              onChange({ ...audience, recipientUserIds: [] }, true);
            }}
            data-testid="audience-everyone" />
          Everyone at {organizationName}
        </label>
        <label>
          <input type="radio" name={ids.who} checked={named} onChange={() => {
              setNamed(true);
              onChange(audience, audience.recipientUserIds.length > 0);
            }}
            disabled={people.length === 0} data-testid="audience-named" />
          Only the people I choose
        </label>
        {named ? (
          <div className="stack-small" role="group" aria-label={`People at ${organizationName}`}>
            {people.map((person) => (
              <label key={person.id}>
                <input
                  type="checkbox"
                  value={person.id}
                  data-email={person.email}
                  checked={chosen.has(person.id)}
                  onChange={(event) => {
                    const next = event.target.checked ? [...chosen, person.id] : [...chosen].filter((id) => id !== person.id);
                    onChange({ ...audience, recipientUserIds: next }, next.length > 0);
                  }}
                />
                {person.displayName} <span className="muted">{person.email}</span>
              </label>
            ))}
            {chosen.size === 0 ? <p className="hint">Tick at least one person, or choose Everyone.</p> : null}
          </div>
        ) : null}
      </fieldset>
      <div className="field">
        <label htmlFor={ids.limit}>
          Download limit <span className="optional">(optional)</span>
        </label>
        <input
          id={ids.limit}
          type="number"
          inputMode="numeric"
          min={1}
          max={10000}
          value={audience.maxDownloads ?? ""}
          onChange={(event) => onChange({ ...audience, maxDownloads: event.target.value === "" ? null : Number(event.target.value) }, !named || chosen.size > 0)}
          aria-describedby={ids.limitHint}
          data-testid="audience-max-downloads"
        />
        <p className="hint" id={ids.limitHint}>
          Downloads allowed in all, from the Inbox and share links together. A download counts once every byte has gone out; a limited file is always sent whole.
        </p>
      </div>
    </>
  );
}
