import Link from "next/link";
import { actionLabel, OUTCOME_LABELS } from "./labels";

export interface AuditFilterValues {
  from?: string;
  to?: string;
  actor?: string;
  org?: string;
  action?: string;
  outcome?: string;
  exchange?: string;
  q?: string;
}

interface Option {
  value: string;
  label: string;
}

function Select({ name, label, value, options, anyLabel }: { name: string; label: string; value?: string; options: Option[]; anyLabel: string }) {
  return (
    <div className="field">
      <label htmlFor={`filter-${name}`}>{label}</label>
      <select id={`filter-${name}`} name={name} defaultValue={value ?? ""}>
        <option value="">{anyLabel}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A plain GET form: applying it puts every filter in the URL, so the view can be bookmarked and shared. */
export function AuditFiltersForm({
  values,
  actions,
  people,
  organizations,
  searchHint,
}: {
  values: AuditFilterValues;
  /** The audited actions (the closed list lives in lib/audit and grows; the page passes it). */
  actions: readonly string[];
  people: Option[];
  organizations: Option[];
  searchHint: string;
}) {
  return (
    <form className="card audit-filters" method="get" action="/audit" role="search" aria-label="Filter audit events" data-testid="audit-filters">
      <div className="field audit-search">
        <label htmlFor="filter-q">Search</label>
        <input id="filter-q" type="search" name="q" defaultValue={values.q ?? ""} maxLength={200} placeholder="Exchange id, person or file name" />
        <p className="hint">{searchHint}</p>
      </div>
      <div className="field">
        <label htmlFor="filter-from">From</label>
        <input id="filter-from" type="date" name="from" defaultValue={values.from?.slice(0, 10) ?? ""} />
      </div>
      <div className="field">
        <label htmlFor="filter-to">To</label>
        <input id="filter-to" type="date" name="to" defaultValue={values.to?.slice(0, 10) ?? ""} />
      </div>
      {people.length > 1 ? <Select name="actor" label="Person" value={values.actor} options={people} anyLabel="Anyone" /> : null}
      {organizations.length > 1 ? <Select name="org" label="Organization" value={values.org} options={organizations} anyLabel="Any organization" /> : null}
      <Select name="action" label="Action" value={values.action} options={actions.map((action) => ({ value: action, label: actionLabel(action) }))} anyLabel="Any action" />
      <Select name="outcome" label="Outcome" value={values.outcome} options={Object.entries(OUTCOME_LABELS).map(([value, label]) => ({ value, label }))} anyLabel="Any outcome" />
      <div className="field">
        <label htmlFor="filter-exchange">Exchange id</label>
        <input id="filter-exchange" type="text" name="exchange" defaultValue={values.exchange ?? ""} pattern="[0-9a-fA-F-]{36}" spellCheck={false} autoComplete="off" />
      </div>
      <div className="form-actions audit-filter-actions">
        <button type="submit" className="button button-primary">
          Apply filters
        </button>
        <Link href="/audit" className="button button-quiet">
          Clear
        </Link>
      </div>
    </form>
  );
}
