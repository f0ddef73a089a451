// Products: the list with a search, the Free plan's count against its cap, and links to add
// and edit.
import { useEffect, useState } from "react";
import { Badge, Card, Link, ProblemAlert, formatMoney } from "@alorig/ui";
import { api } from "../api";
import { fill, useT } from "../i18n";
import { readCached, useQueue } from "../offline";
import { storePath, useStores } from "../store";
import type { Product, ProductPage, SubscriptionAnswer } from "../types";
import { pictureURL } from "../util";
import { Stale } from "./common";

export function Products() {
  const t = useT();
  const store = useStores((s) => s.current);
  const sent = useQueue((s) => s.sent);
  const [products, setProducts] = useState<Product[]>();
  const [sub, setSub] = useState<SubscriptionAnswer>();
  const [stale, setStale] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [q, setQ] = useState("");

  useEffect(() => {
    if (!store) return;
    let live = true;
    (async () => {
      try {
        // The plan's count is asked for alongside the first page, not after the last one.
        const subscription = readCached(`subscription:${store.slug}`, () => api.get<SubscriptionAnswer>(`${storePath()}/subscription`));
        subscription.catch(() => undefined); // awaited below, where its failure is shown
        const all: Product[] = [];
        let wasStale = false;
        for (let page = 1; page < 50; page++) {
          const { data, stale } = await readCached(`products:${store.slug}:${page}`, () => api.get<ProductPage>(`${storePath()}/products`, { page }));
          wasStale ||= stale;
          all.push(...data.products);
          if (all.length >= data.total || data.products.length === 0) break;
        }
        const s = await subscription;
        if (!live) return;
        setProducts(all);
        setSub(s.data);
        setStale(wasStale || s.stale);
        setError(null);
      } catch (e) {
        if (live) setError(e);
      }
    })();
    return () => {
      live = false;
    };
  }, [store, sent]);

  const needle = q.trim().toLowerCase();
  const shown = (products ?? []).filter((p) => !needle || p.title.toLowerCase().includes(needle) || p.sku.toLowerCase().includes(needle));
  const full = sub?.product_limit != null && sub.product_count >= sub.product_limit;

  return (
    <Card title={t("products.title")} actions={<Link to="/products/new" className="rounded-md bg-accent px-3 py-2 text-sm font-semibold text-accent-fg">{t("products.add")}</Link>}>
      <Stale stale={stale} />
      {sub?.product_limit != null && (
        <p className={`mb-2 text-sm ${full ? "text-warn" : "text-muted"}`} role={full ? "status" : undefined}>
          {fill(t("products.count"), { count: <bdi>{sub.product_count}</bdi>, limit: <bdi>{sub.product_limit}</bdi> })}
          {full && <>{t("products.full")}<Link to="/settings" className="underline">{t("products.plan")}</Link></>}
        </p>
      )}
      <label htmlFor="product-search" className="sr-only">{t("products.search")}</label>
      <input id="product-search" type="search" placeholder={t("products.search")} value={q} onChange={(e) => setQ(e.target.value)}
        className="mb-3 min-h-10 w-full rounded-md border border-line bg-surface px-3" />
      {error != null && <ProblemAlert error={error} />}
      {products === undefined && error == null && <p role="status">{t("common.loading")}</p>}
      {products && shown.length === 0 && <p className="text-muted">{products.length ? t("products.noMatch") : t("products.none")}</p>}
      <ul className="flex flex-col divide-y divide-line">
        {shown.map((p) => (
          <li key={p.id}>
            <Link to={`/products/${p.id}`} className="flex min-h-16 items-center gap-3 py-2">
              {p.images[0] ? <img src={pictureURL(p.images[0])} alt="" width={48} height={48} className="size-12 rounded object-cover" loading="lazy" />
                : <span className="size-12 rounded bg-raised" aria-hidden="true" />}
              <span className="min-w-0 flex-1">
                <span className="block truncate font-medium">{p.title}</span>
                <span className="text-sm text-muted"><bdi>{formatMoney(p.price_paisa, "PKR")}</bdi>{p.stock != null && <> · {fill(t("products.inStock"), { n: <bdi>{p.stock}</bdi> })}</>}</span>
              </span>
              {p.status !== "active" && <Badge tone={p.status === "blocked" ? "bad" : "neutral"}>{t(`product.status.${p.status}`)}</Badge>}
            </Link>
          </li>
        ))}
      </ul>
    </Card>
  );
}
