// Platform metrics: headline counts, GMV, orders and new stores by day (Pakistan time) and
// GMV by city, as SVG charts with the numbers in tables.
import { useState } from "react";
import { formatMoney, ProblemAlert, useLocale } from "@alorig/ui";
import { useT } from "../../i18n";
import { useResource } from "../../lib/useResource";
import { ScrollTable, Select, useDates } from "../../lib/ui";
import type { PlatformMetrics } from "../../types";
import { BarChart, RankChart } from "./charts";

export function Metrics() {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const tag = locale === "ur" ? "ur-PK" : "en-PK";
  const { number } = useDates();
  const [days, setDays] = useState(30);
  const res = useResource<PlatformMetrics>("/admin/metrics", { days });
  const money = (n: number) => formatMoney(n, "PKR", tag);
  const m = res.data;
  const day = (iso: string) => new Intl.DateTimeFormat(tag, { month: "short", day: "numeric", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`));

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-xl font-bold">{t("metrics.title")}</h1>
        <div className="w-48">
          <Select label={t("metrics.period")} value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {[7, 30, 90].map((n) => <option key={n} value={n}>{t("metrics.days", { n })}</option>)}
          </Select>
        </div>
      </div>
      <ProblemAlert error={res.error} />
      {m && (
        <>
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
            {([
              ["metrics.stores", number(m.stores)], ["metrics.pro", number(m.pro_stores)],
              ["metrics.verifiedStores", number(m.verified_stores)], ["metrics.suspendedStores", number(m.suspended_stores)],
              ["metrics.products", number(m.products)], ["metrics.blockedProducts", number(m.blocked_products)],
              ["metrics.orders30", number(m.orders_30d)], ["metrics.gmv30", money(m.gmv_30d_paisa)],
              ["metrics.views7", number(m.views_7d)],
            ] as const).map(([k, v]) => (
              <div key={k} className="rounded-md border border-line bg-surface p-3">
                <dt className="text-xs text-muted">{t(k)}</dt>
                <dd className="text-lg font-semibold">{v}</dd>
              </div>
            ))}
          </dl>
          <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
            <section className="rounded-lg border border-line bg-surface p-3">
              <BarChart title={t("metrics.gmvByDay")} format={money} points={m.by_day.map((d) => ({ label: day(d.date), value: d.gmv_paisa }))} />
            </section>
            <section className="rounded-lg border border-line bg-surface p-3">
              <BarChart title={t("metrics.ordersByDay")} format={number} points={m.by_day.map((d) => ({ label: day(d.date), value: d.orders }))} />
            </section>
            <section className="rounded-lg border border-line bg-surface p-3">
              <BarChart title={t("metrics.storesByDay")} format={number} points={m.by_day.map((d) => ({ label: day(d.date), value: d.new_stores }))} />
            </section>
            <section className="rounded-lg border border-line bg-surface p-3">
              <RankChart title={t("metrics.byCity")} desc={t("metrics.cityDesc", { n: m.by_city.length })} format={money}
                points={m.by_city.map((c) => ({ label: c.city, value: c.gmv_paisa }))} />
            </section>
          </div>
          <ScrollTable label={t("metrics.byCity")}>
            <thead>
              <tr>
                <th scope="col">{t("metrics.col.city")}</th>
                <th scope="col" className="text-end">{t("metrics.col.stores")}</th>
                <th scope="col" className="text-end">{t("metrics.col.products")}</th>
                <th scope="col" className="text-end">{t("metrics.col.orders")}</th>
                <th scope="col" className="text-end">{t("metrics.col.gmv")}</th>
              </tr>
            </thead>
            <tbody>
              {m.by_city.map((c) => (
                <tr key={c.city}>
                  <th scope="row" dir="auto" className="font-normal">{c.city}</th>
                  <td className="text-end">{number(c.stores)}</td>
                  <td className="text-end">{number(c.products)}</td>
                  <td className="text-end">{number(c.orders)}</td>
                  <td className="text-end">{money(c.gmv_paisa)}</td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
        </>
      )}
    </div>
  );
}
