import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { AUDIT_ACTIONS, auditChainStatus, auditFiltersQuery, auditPeople, auditScopeOf, crossCheckKms, listAuditPage, mayCrossCheckKms, parseAuditFilters } from "@/lib/audit";
import { getConfig } from "@/lib/config";
import { exchangesNamedLike } from "@/lib/exchanges";
import { AuditEventTable } from "@/components/audit/audit-event-table";
import { AuditFiltersForm } from "@/components/audit/audit-filters-form";
import { ChainBadge } from "@/components/audit/chain-badge";
import { KmsOutsideApp } from "@/components/audit/kms-outside-app";
import { actorOrSignIn, organizationName } from "../../_lib/page-actor";
import { AuditChartsSection } from "./audit-charts-section";

export const metadata: Metadata = { title: "Audit" };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const { filters, invalid } = parseAuditFilters(params);
  const query = auditFiltersQuery(filters);
  const actor = await actorOrSignIn(`/audit${query ? `?${query}` : ""}`);
  const scope = auditScopeOf(actor);
  const named = await exchangesNamedLike(actor, filters.q);
  const [page, chain, people] = await Promise.all([listAuditPage(actor, filters, named), auditChainStatus(), auditPeople(actor)]);
  const kms = await crossCheckKms(actor, page.events, filters);
  const organizations = [...getConfig().organizations.values()].map((org) => ({ value: org.slug, label: org.displayName }));
  // The current view without its page cursor: what the exports and the "Newest" link use.
  const viewQuery = auditFiltersQuery(filters, { after: undefined });

  return (
    <>
      <div className="page-heading page-heading-row">
        <div>
          <h1>Audit</h1>
          <p className="muted">
            {scope.kind === "own"
              ? "Everything you did in Keybridge, newest first."
              : `Everything people at ${organizationName(actor.orgSlug)} did, and everything that happened to exchanges ${organizationName(actor.orgSlug)} is party to.`}
          </p>
        </div>
        <div className="form-actions">
          <a className="button" href={`/api/audit/export?${new URLSearchParams([...new URLSearchParams(viewQuery), ["format", "csv"]])}`} data-testid="export-csv" download>
            Export CSV
          </a>
          <a className="button" href={`/api/audit/export?${new URLSearchParams([...new URLSearchParams(viewQuery), ["format", "jsonl"]])}`} data-testid="export-jsonl" download>
            Export JSON Lines
          </a>
        </div>
      </div>
      <ChainBadge status={chain} />
      {invalid.length > 0 ? (
        <p className="notice notice-warning" data-testid="invalid-filters">
          Some filters in the address were not valid and were ignored: {invalid.join(", ")}.
        </p>
      ) : null}
      {mayCrossCheckKms(scope) ? <KmsOutsideApp calls={kms.outsideApp} pending={kms.pending} unavailable={kms.unavailable} /> : null}
      <AuditFiltersForm
        values={filters}
        actions={AUDIT_ACTIONS}
        people={people.map((person) => ({ value: person.id, label: `${person.displayName} (${organizationName(person.orgSlug)})` }))}
        organizations={scope.kind === "own" ? [] : organizations}
        searchHint="An exchange id finds its events; other text matches people's names, sign-in emails and the names of your organization's recent files."
      />
      {page.events.length === 0 ? (
        <div className="empty-state" data-testid="audit-empty">
          <h2>No events match</h2>
          <p>Widen the time range or clear some filters.</p>
        </div>
      ) : (
        <AuditEventTable events={page.events} caption="Audit events, newest first" kmsByRequestId={kms.byRequestId} />
      )}
      <nav className="pager" aria-label="Pages">
        {filters.after ? (
          <Link href={`/audit${viewQuery ? `?${viewQuery}` : ""}`} className="button">
            ← Newest
          </Link>
        ) : null}
        {page.nextCursor ? (
          <Link href={`/audit?${auditFiltersQuery(filters, { after: page.nextCursor })}`} className="button" data-testid="next-page">
            Older events →
          </Link>
        ) : null}
      </nav>
      <Suspense fallback={<p className="muted">Loading charts…</p>}>
        <AuditChartsSection actor={actor} filters={filters} />
      </Suspense>
    </>
  );
}
