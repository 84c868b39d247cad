import { auditCharts, type AuditFilters } from "@/lib/audit";
import type { Actor } from "@/lib/auth";
import { AuditCharts } from "@/components/audit/audit-charts";

/** Streamed after the table (inside Suspense): aggregating a month of events must not hold the rows back. */
export async function AuditChartsSection({ actor, filters }: { actor: Actor; filters: AuditFilters }) {
  const charts = await auditCharts(actor, filters);
  return <AuditCharts days={charts.days} topRecipients={charts.topRecipients} />;
}
