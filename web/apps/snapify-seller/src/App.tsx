// The seller app: sign-in with a WhatsApp code, then the store's products, orders, analytics,
// categories and settings, phone-first. The offline queue is shown on every screen.
import { useEffect } from "react";
import { Link, LocaleSelect, ProblemAlert, ThemeToggle, useRoute } from "@alorig/ui";
import { useSession } from "./api";
import { useT } from "./i18n";
import { startQueue, useOnline } from "./offline";
import { useNewOrders } from "./orders";
import { useStores } from "./store";
import { Analytics } from "./screens/Analytics";
import { Categories } from "./screens/Categories";
import { QueuePanel } from "./screens/common";
import { NewStore } from "./screens/NewStore";
import { OrderDetail, Orders, useOrdersPoll } from "./screens/Orders";
import { ProductForm } from "./screens/ProductForm";
import { Products } from "./screens/Products";
import { SignIn } from "./screens/SignIn";
import { Settings } from "./screens/Settings";
import { Social } from "./screens/Social";
import { useState } from "react";

let queueStarted = false;

export function App() {
  const t = useT();
  const status = useSession((s) => s.status);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    useSession.getState().load().catch(setError);
  }, []);
  if (status === "loading") return error ? <main className="p-4"><ProblemAlert error={error} /></main> : <main className="p-4" role="status">{t("common.loading")}</main>;
  if (status === "signedOut") return <SignIn />;
  return (
    <>
      <Shell />
      {status === "expired" && (
        <div className="fixed inset-0 z-10 overflow-auto bg-surface"><SignIn expired /></div>
      )}
    </>
  );
}

function Shell() {
  const t = useT();
  const { stores, current, load } = useStores();
  const [error, setError] = useState<unknown>(null);
  const online = useOnline((s) => s.online);
  useEffect(() => {
    load().catch(setError);
    if (!queueStarted) {
      queueStarted = true;
      startQueue();
    }
  }, [load]);
  return (
    <div className="mx-auto flex min-h-dvh max-w-2xl flex-col">
      <header className="sticky top-0 z-[1] flex items-center gap-2 border-b border-line bg-surface px-3 py-2">
        <span className="flex-1 truncate font-bold">{current?.name ?? "Snapify"}</span>
        {!online && <span role="status" className="rounded bg-warn/20 px-2 text-xs font-semibold text-warn">{t("app.offline")}</span>}
        <LocaleSelect />
        <ThemeToggle />
      </header>
      <main className="flex flex-1 flex-col gap-3 p-3 pb-24">
        <QueuePanel />
        {error != null && <ProblemAlert error={error} />}
        {stores === undefined && error == null && <p role="status">{t("common.loading")}</p>}
        {stores?.length === 0 && <NewStore />}
        {current && <Screen />}
      </main>
      {current && <Nav />}
    </div>
  );
}

function Screen() {
  const route = useRoute();
  const m = /^\/(products|orders)\/(\d+|new)$/.exec(route);
  if (route === "/products/new") return <ProductForm />;
  if (m?.[1] === "products") return <ProductForm id={Number(m[2])} />;
  if (m?.[1] === "orders") return <OrderDetail id={Number(m[2])} />;
  switch (route) {
    case "/orders": return <Orders />;
    case "/analytics": return <Analytics />;
    case "/categories": return <Categories />;
    case "/settings": return <Settings />;
    case "/social": return <Social />;
    default: return <Products />;
  }
}

function Nav() {
  const t = useT();
  useOrdersPoll();
  const fresh = useNewOrders((s) => (s.latest > s.seen ? s.latest - s.seen : 0));
  const items: [string, string][] = [["/", "nav.products"], ["/orders", "nav.orders"], ["/analytics", "nav.analytics"], ["/categories", "nav.categories"], ["/social", "nav.social"], ["/settings", "nav.settings"]];
  return (
    <nav aria-label={t("nav.main")} className="fixed inset-x-0 bottom-0 border-t border-line bg-surface">
      <ul className="mx-auto flex max-w-2xl justify-around">
        {items.map(([to, label]) => (
          <li key={to}>
            <Link to={to} className="relative flex min-h-14 min-w-14 flex-col items-center justify-center px-1 text-xs font-semibold aria-[current=page]:text-accent">
              {t(label)}
              {to === "/orders" && fresh > 0 && (
                <span className="absolute end-0 top-1 rounded-full bg-bad px-1.5 text-[10px] text-white" aria-label={t("nav.newOrders", { n: fresh })}><bdi>{fresh}</bdi></span>
              )}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
