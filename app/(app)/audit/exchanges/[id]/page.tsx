import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { auditScopeOf, crossCheckKms, exchangeTimeline, mayCrossCheckKms } from "@/lib/audit";
import { ExchangeTimeline } from "@/components/audit/exchange-timeline";
import { KmsOutsideApp } from "@/components/audit/kms-outside-app";
import { actorOrSignIn } from "../../../../_lib/page-actor";

export const metadata: Metadata = { title: "Exchange timeline" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function ExchangeTimelinePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await actorOrSignIn(`/audit/exchanges/${encodeURIComponent(id)}`);
  if (!UUID.test(id)) notFound();
  const events = await exchangeTimeline(actor, id.toLowerCase());
  // Events the viewer may not see and events that do not exist look the same.
  if (events.length === 0) notFound();
  const first = events[0]?.occurredAt.slice(0, 16);
  const kms = await crossCheckKms(actor, events, { exchange: id.toLowerCase(), from: first });

  return (
    <>
      <p className="breadcrumb">
        <Link href="/audit">← Audit</Link>
      </p>
      <div className="page-heading">
        <h1>Exchange timeline</h1>
        <p className="muted">
          Exchange <code>{id}</code> · <Link href={`/audit?exchange=${id}`}>filter the audit table to it</Link>
        </p>
      </div>
      <ExchangeTimeline events={events} kmsByRequestId={kms.byRequestId} />
      {mayCrossCheckKms(auditScopeOf(actor)) ? <KmsOutsideApp calls={kms.outsideApp} pending={kms.pending} unavailable={kms.unavailable} /> : null}
    </>
  );
}
