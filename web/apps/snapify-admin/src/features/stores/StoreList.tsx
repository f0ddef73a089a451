// All stores, newest first: search by name or address, filter by status, plan, city and
// verification, fifty a page.
import { useState, type FormEvent } from "react";
import { Badge, Button, Field, Link, ProblemAlert } from "@alorig/ui";
import { useT } from "../../i18n";
import { useResource } from "../../lib/useResource";
import { Pager, ScrollTable, Select, useDates } from "../../lib/ui";
import type { StorePage } from "../../types";
import { useStoreFilters, type StoreFilters } from "./filters";

const PAGE_SIZE = 50;

export function StoreList() {
  const t = useT();
  const { date, number } = useDates();
  const { filters, set, reset } = useStoreFilters();
  const [q, setQ] = useState(filters.q);
  const [city, setCity] = useState(filters.city);
  const res = useResource<StorePage>("/admin/stores", { ...filters });

  function submit(e: FormEvent) {
    e.preventDefault();
    set({ q: q.trim(), city: city.trim() });
  }

  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-bold">{t("stores.title")}</h1>
      <form role="search" aria-label={t("stores.filters")} onSubmit={submit}
        className="grid grid-cols-1 gap-3 rounded-lg border border-line bg-surface p-3 sm:grid-cols-2 lg:grid-cols-6 lg:items-end">
        <Field className="lg:col-span-2" label={t("stores.search")} type="search" value={q} maxLength={100} onChange={(e) => setQ(e.target.value)} />
        <Select label={t("stores.status")} value={filters.status} onChange={(e) => set({ status: e.target.value as StoreFilters["status"] })}>
          <option value="">{t("common.any")}</option>
          <option value="live">{t("stores.live")}</option>
          <option value="suspended">{t("stores.suspended")}</option>
        </Select>
        <Select label={t("stores.plan")} value={filters.plan} onChange={(e) => set({ plan: e.target.value as StoreFilters["plan"] })}>
          <option value="">{t("common.any")}</option>
          <option value="free">{t("stores.free")}</option>
          <option value="pro">{t("stores.pro")}</option>
        </Select>
        <Select label={t("stores.verified")} value={filters.verified} onChange={(e) => set({ verified: e.target.value as StoreFilters["verified"] })}>
          <option value="">{t("common.any")}</option>
          <option value="true">{t("common.yes")}</option>
          <option value="false">{t("common.no")}</option>
        </Select>
        <Field label={t("stores.city")} value={city} maxLength={100} onChange={(e) => setCity(e.target.value)} />
        <div className="flex gap-2 lg:col-span-6">
          <Button type="submit">{t("common.apply")}</Button>
          <Button variant="ghost" onClick={() => { reset(); setQ(""); setCity(""); }}>{t("common.reset")}</Button>
        </div>
      </form>
      <ProblemAlert error={res.error} />
      {res.data && (
        <>
          <p role="status" className="text-sm text-muted">{t("stores.count", { n: number(res.data.total) })}</p>
          {res.data.stores.length === 0 ? (
            <p>{t("stores.empty")}</p>
          ) : (
            <ScrollTable label={t("stores.title")}>
              <thead>
                <tr>
                  <th scope="col">{t("stores.col.store")}</th>
                  <th scope="col">{t("stores.col.city")}</th>
                  <th scope="col">{t("stores.col.plan")}</th>
                  <th scope="col">{t("stores.col.verified")}</th>
                  <th scope="col">{t("stores.col.status")}</th>
                  <th scope="col" className="text-end">{t("stores.col.products")}</th>
                  <th scope="col">{t("stores.col.opened")}</th>
                </tr>
              </thead>
              <tbody>
                {res.data.stores.map((s) => (
                  <tr key={s.id}>
                    <td>
                      <Link to={`/stores/${s.id}`} className="font-semibold text-accent underline">{s.name}</Link>
                      <div className="text-xs text-muted" dir="ltr">/{s.slug}</div>
                    </td>
                    <td>{s.city || t("common.none")}</td>
                    <td>{s.tier === "pro" ? t("stores.pro") : t("stores.free")}</td>
                    <td>{s.verified ? <Badge tone="good">{t("common.yes")}</Badge> : <Badge>{t("common.no")}</Badge>}</td>
                    <td>{s.suspended_at ? <Badge tone="bad">{t("stores.suspended")}</Badge> : <Badge tone="good">{t("stores.live")}</Badge>}</td>
                    <td className="text-end">{number(s.product_count)}</td>
                    <td>{date(s.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </ScrollTable>
          )}
          <Pager page={filters.page} total={res.data.total} size={PAGE_SIZE} onPage={(page) => set({ page })} />
        </>
      )}
    </div>
  );
}
