"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatBytes } from "../format";

export interface ChartDay {
  day: string;
  exchanges: number;
  bytes: number;
  denials: number;
}

export interface ChartRecipient {
  name: string;
  org: string | null;
  downloads: number;
  bytes: number;
}

const PRIMARY = "#1d4f91";
const WARNING = "#b7791f";
const SUCCESS = "#17693a";

const shortDay = (day: string) => day.slice(5);

function DailyBars({ data, dataKey, color, label, format }: { data: ChartDay[]; dataKey: keyof ChartDay; color: string; label: string; format?: (value: number) => string }) {
  return (
    <ResponsiveContainer width="100%" height={200}>
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="day" tickFormatter={shortDay} fontSize={12} minTickGap={12} />
        <YAxis allowDecimals={false} fontSize={12} width={format ? 64 : 36} tickFormatter={format} />
        <Tooltip formatter={(value) => [format ? format(Number(value)) : String(value), label]} labelFormatter={(day) => String(day)} />
        <Bar dataKey={dataKey} fill={color} name={label} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

/** Activity at a glance; each chart states its total in words, so the figures do not depend on seeing the bars. */
export function AuditCharts({ days, topRecipients }: { days: ChartDay[]; topRecipients: ChartRecipient[] }) {
  const totals = days.reduce((sum, day) => ({ exchanges: sum.exchanges + day.exchanges, bytes: sum.bytes + day.bytes, denials: sum.denials + day.denials }), { exchanges: 0, bytes: 0, denials: 0 });
  return (
    <div className="chart-grid" data-testid="audit-charts">
      <section className="card chart-card" aria-label="Exchanges per day">
        <h2>Exchanges per day</h2>
        <p className="muted small">{totals.exchanges.toLocaleString("en-US")} in this range</p>
        <DailyBars data={days} dataKey="exchanges" color={PRIMARY} label="Exchanges" />
      </section>
      <section className="card chart-card" aria-label="Bytes sent per day">
        <h2>Bytes sent per day</h2>
        <p className="muted small">{formatBytes(totals.bytes)} in this range</p>
        <DailyBars data={days} dataKey="bytes" color={SUCCESS} label="Sent" format={formatBytes} />
      </section>
      <section className="card chart-card" aria-label="Denials per day">
        <h2>Denials per day</h2>
        <p className="muted small">{totals.denials.toLocaleString("en-US")} refused attempts in this range</p>
        <DailyBars data={days} dataKey="denials" color={WARNING} label="Denials" />
      </section>
      <section className="card chart-card" aria-label="Top recipients">
        <h2>Top recipients</h2>
        {topRecipients.length === 0 ? (
          <p className="muted">No downloads in this range.</p>
        ) : (
          <ResponsiveContainer width="100%" height={200}>
            <BarChart data={topRecipients} layout="vertical" margin={{ top: 8, right: 16, bottom: 0, left: 8 }} accessibilityLayer>
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" allowDecimals={false} fontSize={12} />
              <YAxis type="category" dataKey="name" width={110} fontSize={12} />
              <Tooltip formatter={(value) => [String(value), "Downloads"]} />
              <Bar dataKey="downloads" fill={PRIMARY} name="Downloads" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        )}
      </section>
    </div>
  );
}
