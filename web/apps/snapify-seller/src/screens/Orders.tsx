import { useEffect, useState } from "react";
import { Badge, Button, Card, Field, Link, ProblemAlert, formatMoney, useLocale } from "@alorig/ui";
import { api } from "../api";
import { fill, t as tr, useT } from "../i18n";
import { readCached, sendOrQueue, useQueue } from "../offline";
import { TRANSITIONS, useNewOrders } from "../orders";
import { storePath, useStores } from "../store";
import type { OrderAnswer, OrderPage, OrderStatus } from "../types";
import { ago, waLink } from "../util";
import { Stale } from "./common";

const STATUSES = ["", "pending", "confirmed", "shipped", "delivered", "cancelled", "returned"] as const;
const tone = (s: string) => (s === "pending" ? "warn" : s === "cancelled" || s === "returned" ? "bad" : s === "delivered" ? "good" : "neutral");

/** Polls the first page of orders every 20 s while the app is open, feeding the new-order badge. */
export function useOrdersPoll(filter = "") {
  const store = useStores((s) => s.current);
  const sent = useQueue((s) => s.sent);
  const [page, setPage] = useState<OrderPage>();
  const [stale, setStale] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!store) return;
    let live = true;
    const load = async () => {
      try {
        const r = await readCached(`orders:${store.slug}:${filter}`, () => api.get<OrderPage>(`${storePath()}/orders`, { status: filter || undefined }));
        if (!live) return;
        setPage(r.data);
        setStale(r.stale);
        setError(null);
        if (!filter && r.data.orders.length) useNewOrders.getState().setLatest(Math.max(...r.data.orders.map((o) => o.id)));
      } catch (e) {
        if (live) setError(e);
      }
    };
    void load();
    const t = setInterval(() => {
      if (document.visibilityState === "visible") void load();
    }, 20_000);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [store, filter, sent]);
  return { page, stale, error };
}

export function Orders() {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const [filter, setFilter] = useState("");
  const { page, stale, error } = useOrdersPoll(filter);
  const seen = useNewOrders((s) => s.seen);
  useEffect(() => () => useNewOrders.getState().markSeen(), []);
  return (
    <Card title={t("orders.title")}>
      <Stale stale={stale} />
      <label htmlFor="order-filter" className="text-sm font-medium">{t("orders.show")}</label>
      <select id="order-filter" value={filter} onChange={(e) => setFilter(e.target.value)} className="mb-3 ms-2 min-h-10 rounded-md border border-line bg-surface px-2">
        {STATUSES.map((s) => <option key={s} value={s}>{s ? t(`status.${s}`) : t("orders.all")}</option>)}
      </select>
      {error != null && <ProblemAlert error={error} />}
      {page === undefined && error == null && <p role="status">{t("common.loading")}</p>}
      {page && page.orders.length === 0 && <p className="text-muted">{t("orders.none")}</p>}
      <ul className="flex flex-col divide-y divide-line" aria-label={t("orders.title")}>
        {page?.orders.map((o) => (
          <li key={o.id}>
            <Link to={`/orders/${o.id}`} className="flex min-h-14 items-center gap-2 py-2">
              <span className="min-w-0 flex-1">
                <span className="block font-medium">{o.number} · {o.buyer_name}{o.id > seen && <span className="ms-2"><Badge tone="good">{t("orders.new")}</Badge></span>}</span>
                <span className="text-sm text-muted">{o.city} · <bdi>{formatMoney(o.total_paisa, "PKR")}</bdi> · {ago(o.created_at, locale)}</span>
              </span>
              <Badge tone={tone(o.status)}>{t(`status.${o.status}`)}</Badge>
            </Link>
          </li>
        ))}
      </ul>
    </Card>
  );
}

export function OrderDetail({ id }: { id: number }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const store = useStores((s) => s.current)!;
  const [ans, setAns] = useState<OrderAnswer>();
  const [stale, setStale] = useState(false);
  const [tracking, setTracking] = useState("");
  const [busy, setBusy] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [queued, setQueued] = useState("");
  const sent = useQueue((s) => s.sent);

  useEffect(() => {
    readCached(`order:${store.slug}:${id}`, () => api.get<OrderAnswer>(`${storePath()}/orders/${id}`)).then((r) => {
      setAns(r.data);
      setStale(r.stale);
      setTracking(r.data.order?.tracking_number ?? "");
    }, setError);
  }, [id, store.slug, sent]);

  const o = ans?.order;
  async function move(next: OrderStatus) {
    if (!o) return;
    setBusy(next);
    setError(null);
    try {
      const body = next === "shipped" && tracking.trim() ? { status: next, tracking_number: tracking.trim() } : { status: next };
      const res = await sendOrQueue<OrderAnswer>("status", store.slug, `${storePath()}/orders/${o.id}/status`, body, `${o.number} → ${next}`);
      if (res) setAns(res);
      else setQueued(next);
    } catch (e) {
      setError(e);
    } finally {
      setBusy("");
    }
  }

  if (!o) return <Card title={t("order.title")}>{error != null ? <ProblemAlert error={error} /> : <p role="status">{t("common.loading")}</p>}</Card>;
  const next = stale ? (TRANSITIONS[o.status] ?? []) : ans.next;
  // The buyer reads the message in the store's language, whatever the seller's screen shows.
  const buyerLang = store.lang === "ur" ? "ur" : "en";
  const msg = tr(buyerLang, "order.waMessage", { name: o.buyer_name, number: o.number, store: store.name, status: tr(buyerLang, `status.${o.status}`) }) +
    (o.tracking_number ? tr(buyerLang, "order.waTracking", { tracking: o.tracking_number }) : "");
  return (
    <Card title={t("order.titleNumbered", { number: o.number })}>
      <Stale stale={stale} />
      <p className="mb-2"><Badge tone={tone(o.status)}>{t(`status.${o.status}`)}</Badge> <span className="text-sm text-muted">{ago(o.created_at, locale)}</span></p>
      <dl className="mb-3 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
        <dt className="text-muted">{t("order.buyer")}</dt><dd>{o.buyer_name}, <bdi>{o.buyer_phone}</bdi></dd>
        <dt className="text-muted">{t("order.address")}</dt><dd>{o.address}, {o.city}</dd>
        <dt className="text-muted">{t("order.payment")}</dt><dd>{o.payment}</dd>
        {o.notes && <><dt className="text-muted">{t("order.notes")}</dt><dd>{o.notes}</dd></>}
      </dl>
      <ul className="mb-3 text-sm">
        {o.lines.map((l, i) => <li key={i}><bdi>{l.quantity}</bdi> × {l.title}{l.options && ` (${l.options})`} — <bdi>{formatMoney(l.total_paisa, "PKR")}</bdi></li>)}
        <li className="mt-1 font-semibold">{fill(t("order.total"), { total: <bdi>{formatMoney(o.total_paisa, "PKR")}</bdi>, fee: <bdi>{formatMoney(o.delivery_fee_paisa, "PKR")}</bdi> })}</li>
      </ul>
      <a href={waLink(o.buyer_phone, msg)} target="_blank" rel="noopener noreferrer"
        className="mb-3 inline-flex min-h-11 items-center rounded-md bg-good px-4 font-semibold text-white">{t("order.whatsapp")}</a>
      {o.tracking_number && <p className="mb-2 text-sm">{t("order.trackingIs")} <strong><bdi>{o.tracking_number}</bdi></strong></p>}
      {next.includes("shipped") && (
        <Field label={t("order.tracking")} value={tracking} onChange={(e) => setTracking(e.target.value)} hint={t("order.trackingHint")} className="mb-2" />
      )}
      {queued && <p role="status" className="mb-2 text-sm text-warn">{t("order.queued", { status: t(`status.${queued}`) })}</p>}
      <div className="flex flex-wrap gap-2" role="group" aria-label={t("order.changeStatus")}>
        {next.map((n) => (
          <Button key={n} variant={n === "cancelled" || n === "returned" ? "danger" : "primary"} busy={busy === n} onClick={() => void move(n as OrderStatus)}>
            {t("order.mark", { status: t(`status.${n}`) })}
          </Button>
        ))}
        {next.length === 0 && <p className="text-sm text-muted">{t("order.final", { status: t(`status.${o.status}`) })}</p>}
      </div>
      {error != null && <ProblemAlert error={error} className="mt-2" />}
    </Card>
  );
}
