// Analytics as inline SVG bar charts, each with a table for screen readers (the chart is
// hidden from them). The API gives totals over a window (views, visitors, orders, revenue) and
// the top products, cities and referrers; conversion is orders per visitor.
import { useEffect, useState } from "react";
import { Card, ProblemAlert, formatMoney } from "@alorig/ui";
import { api } from "../api";
import { readCached } from "../offline";
import { storePath, useStores } from "../store";
import type { Analytics as A } from "../types";
import { Stale } from "./common";

function Bars({ title, rows }: { title: string; rows: { name: string; count: number }[] }) {
  const max = Math.max(1, ...rows.map((r) => r.count));
  const h = 22;
  return (
    <figure className="mb-4">
      <figcaption className="mb-1 text-sm font-semibold">{title}</figcaption>
      {rows.length === 0 ? <p className="text-sm text-muted">Nothing yet.</p> : (
        <>
          <svg viewBox={`0 0 320 ${rows.length * h}`} className="w-full" aria-hidden="true" focusable="false">
            {rows.map((r, i) => (
              <g key={r.name} transform={`translate(0 ${i * h})`}>
                <rect x={0} y={3} width={Math.max(2, (r.count / max) * 200)} height={h - 6} rx={3} className="fill-accent" />
                <text x={206} y={h / 2 + 4} fontSize={11} className="fill-fg">{r.count} · {r.name.slice(0, 18)}</text>
              </g>
            ))}
          </svg>
          <table className="sr-only">
            <caption>{title}</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Count</th></tr></thead>
            <tbody>{rows.map((r) => <tr key={r.name}><td>{r.name}</td><td>{r.count}</td></tr>)}</tbody>
          </table>
        </>
      )}
    </figure>
  );
}

export function Analytics() {
  const store = useStores((s) => s.current)!;
  const [days, setDays] = useState(7);
  const [a, setA] = useState<A>();
  const [stale, setStale] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    readCached(`analytics:${store.slug}:${days}`, () => api.get<A>(`${storePath()}/analytics`, { days })).then((r) => {
      setA(r.data);
      setStale(r.stale);
    }, setError);
  }, [store.slug, days]);
  const conv = a && a.visitors ? ((a.orders / a.visitors) * 100).toFixed(1) + "%" : "—";
  return (
    <Card title="Analytics">
      <Stale stale={stale} />
      <label htmlFor="days" className="text-sm font-medium">Period</label>
      <select id="days" value={days} onChange={(e) => setDays(Number(e.target.value))} className="mb-3 ms-2 min-h-10 rounded-md border border-line bg-surface px-2">
        <option value={1}>today</option><option value={7}>7 days</option><option value={30}>30 days</option><option value={90}>90 days</option>
      </select>
      {error != null && <ProblemAlert error={error} />}
      {a && (
        <>
          <dl className="mb-4 grid grid-cols-2 gap-2 text-center">
            {[["Views", a.views], ["Visitors", a.visitors], ["Orders", a.orders], ["Conversion", conv]].map(([k, v]) => (
              <div key={k} className="rounded border border-line p-2"><dt className="text-xs text-muted">{k}</dt><dd className="text-lg font-bold">{v}</dd></div>
            ))}
            <div className="col-span-2 rounded border border-line p-2"><dt className="text-xs text-muted">Sales</dt><dd className="text-lg font-bold">{formatMoney(a.revenue_paisa, "PKR")}</dd></div>
          </dl>
          <Bars title="Top products (views)" rows={a.top_products} />
          <Bars title="Cities" rows={a.cities} />
          <Bars title="Referrers" rows={a.referrers} />
        </>
      )}
    </Card>
  );
}
