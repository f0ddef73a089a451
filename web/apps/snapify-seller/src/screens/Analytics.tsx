// Analytics as inline SVG charts, each with a table for screen readers (the charts are hidden
// from them). The API gives the window's totals (views, visitors, orders, sales), the same by
// day in Pakistan time, and the top products, cities and referrers; conversion is orders per
// visitor. The charts are drawn left to right in either language: time runs that way on them.
import { useEffect, useState } from "react";
import { Card, ProblemAlert, formatMoney, useLocale } from "@alorig/ui";
import { api } from "../api";
import { useT } from "../i18n";
import { readCached } from "../offline";
import { storePath, useStores } from "../store";
import type { Analytics as A } from "../types";
import { Stale } from "./common";

type Day = A["by_day"][number];

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function Bars({ title, rows }: { title: string; rows: { name: string; count: number }[] }) {
  const t = useT();
  const max = Math.max(1, ...rows.map((r) => r.count));
  const h = 22;
  return (
    <figure className="mb-4">
      <figcaption className="mb-1 text-sm font-semibold">{title}</figcaption>
      {rows.length === 0 ? <p className="text-sm text-muted">{t("analytics.nothing")}</p> : (
        <>
          <svg viewBox={`0 0 320 ${rows.length * h}`} className="w-full" aria-hidden="true" focusable="false" direction="ltr">
            {rows.map((r, i) => (
              <g key={r.name} transform={`translate(0 ${i * h})`}>
                <rect x={0} y={3} width={Math.max(2, (r.count / max) * 200)} height={h - 6} rx={3} className="fill-accent" />
                <text x={206} y={h / 2 + 4} fontSize={11} className="fill-fg">{r.count} · {r.name.slice(0, 18)}</text>
              </g>
            ))}
          </svg>
          <div className="sr-only">
            <table>
              <caption>{title}</caption>
              <thead><tr><th scope="col">{t("analytics.name")}</th><th scope="col">{t("analytics.count")}</th></tr></thead>
              <tbody>{rows.map((r) => <tr key={r.name}><td>{r.name}</td><td><bdi>{r.count}</bdi></td></tr>)}</tbody>
            </table>
          </div>
        </>
      )}
    </figure>
  );
}

const W = 320;
const H = 96;
const TOP = 14;
const BOTTOM = 16;

/** One series by day: bars, or a line for a rate; the first, middle and last dates under it. */
function DayChart({ title, days, value, label, line, dateLabel }: {
  title: string; days: Day[]; value: (d: Day) => number; label: (v: number) => string; line?: boolean; dateLabel: (d: string) => string;
}) {
  const t = useT();
  const n = days.length;
  const values = days.map(value);
  const top = Math.max(0, ...values);
  const max = top || 1; // the scale; an empty series lies on the axis
  const step = W / Math.max(1, n);
  const y = (v: number) => TOP + (H - TOP - BOTTOM) * (1 - v / max);
  const ticks = n <= 7 ? days.map((_, i) => i) : [0, Math.floor((n - 1) / 2), n - 1];
  return (
    <figure className="mb-3">
      <figcaption className="text-xs font-semibold">{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} className="w-full" aria-hidden="true" focusable="false" direction="ltr">
        <text x={0} y={10} fontSize={10} className="fill-muted">{t("analytics.max", { n: label(top) })}</text>
        <line x1={0} x2={W} y1={H - BOTTOM} y2={H - BOTTOM} className="stroke-line" />
        {line ? (
          <polyline fill="none" strokeWidth={2} className="stroke-accent"
            points={values.map((v, i) => `${(i + 0.5) * step},${y(v)}`).join(" ")} />
        ) : values.map((v, i) => (
          <rect key={days[i]!.date} x={i * step + step * 0.15} width={Math.max(1, step * 0.7)} y={y(v)} height={H - BOTTOM - y(v)} rx={1} className="fill-accent" />
        ))}
        {line && n <= 31 && values.map((v, i) => <circle key={days[i]!.date} cx={(i + 0.5) * step} cy={y(v)} r={2.5} className="fill-accent" />)}
        {ticks.map((i) => (
          <text key={i} x={(i + 0.5) * step} y={H - 3} fontSize={10} textAnchor={i === 0 && n > 7 ? "start" : i === n - 1 && n > 7 ? "end" : "middle"} className="fill-muted">
            {dateLabel(days[i]!.date)}
          </text>
        ))}
      </svg>
    </figure>
  );
}

export function PerDay({ days }: { days: Day[] }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  // Latin digits in both languages, as the figures elsewhere in the app.
  const fmt = new Intl.DateTimeFormat(locale === "ur" ? "ur-PK-u-nu-latn" : "en-PK", { day: "numeric", month: "short", timeZone: "UTC" });
  const dateLabel = (d: string) => fmt.format(new Date(`${d}T00:00:00Z`));
  return (
    <section aria-labelledby="per-day" className="mb-4">
      <h3 id="per-day" className="mb-1 text-sm font-semibold">{t("analytics.perDay")}</h3>
      <p className="mb-2 text-xs text-muted">{t("analytics.perDaySummary")}</p>
      <DayChart title={t("analytics.viewsPerDay")} days={days} value={(d) => d.views} label={String} dateLabel={dateLabel} />
      <DayChart title={t("analytics.ordersPerDay")} days={days} value={(d) => d.orders} label={String} dateLabel={dateLabel} />
      <DayChart title={t("analytics.conversionPerDay")} days={days} value={(d) => d.conversion} label={pct} line dateLabel={dateLabel} />
      {/* Hidden by a wrapper: a table grows to fit its cells whatever width sr-only gives it,
          and would widen the page. */}
      <div className="sr-only">
      <table>
        <caption>{t("analytics.perDay")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("analytics.date")}</th><th scope="col">{t("analytics.views")}</th><th scope="col">{t("analytics.visitors")}</th>
            <th scope="col">{t("analytics.orders")}</th><th scope="col">{t("analytics.sales")}</th><th scope="col">{t("analytics.conversion")}</th>
          </tr>
        </thead>
        <tbody>
          {days.map((d) => (
            <tr key={d.date}>
              <th scope="row">{dateLabel(d.date)}</th><td><bdi>{d.views}</bdi></td><td><bdi>{d.visitors}</bdi></td><td><bdi>{d.orders}</bdi></td>
              <td><bdi>{formatMoney(d.revenue_paisa, "PKR")}</bdi></td><td><bdi>{pct(d.conversion)}</bdi></td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </section>
  );
}

export function Analytics() {
  const t = useT();
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
  const conv = a && a.visitors ? pct(a.orders / a.visitors) : "—";
  return (
    <Card title={t("analytics.title")}>
      <Stale stale={stale} />
      <label htmlFor="days" className="text-sm font-medium">{t("analytics.period")}</label>
      <select id="days" value={days} onChange={(e) => setDays(Number(e.target.value))} className="mb-3 ms-2 min-h-10 rounded-md border border-line bg-surface px-2">
        <option value={1}>{t("analytics.today")}</option>
        {[7, 30, 90].map((n) => <option key={n} value={n}>{t("analytics.days", { n })}</option>)}
      </select>
      {error != null && <ProblemAlert error={error} />}
      {a && (
        <>
          <dl className="mb-4 grid grid-cols-2 gap-2 text-center">
            {([["analytics.views", a.views], ["analytics.visitors", a.visitors], ["analytics.orders", a.orders], ["analytics.conversion", conv]] as const).map(([k, v]) => (
              <div key={k} className="rounded border border-line p-2"><dt className="text-xs text-muted">{t(k)}</dt><dd className="text-lg font-bold"><bdi>{v}</bdi></dd></div>
            ))}
            <div className="col-span-2 rounded border border-line p-2"><dt className="text-xs text-muted">{t("analytics.sales")}</dt><dd className="text-lg font-bold"><bdi>{formatMoney(a.revenue_paisa, "PKR")}</bdi></dd></div>
          </dl>
          {/* Older cached answers have no series; it appears with the next one from the server. */}
          {a.by_day?.length > 0 && <PerDay days={a.by_day} />}
          <Bars title={t("analytics.topProducts")} rows={a.top_products} />
          <Bars title={t("analytics.cities")} rows={a.cities} />
          <Bars title={t("analytics.referrers")} rows={a.referrers} />
        </>
      )}
    </Card>
  );
}
