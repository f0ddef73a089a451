// The admin app's shell: sign-in until an admin is signed in, then the sections (stores,
// moderation, metrics, audit log) under one header. A session that expires shows sign-in over
// the screen without unmounting it.
import { useEffect, useState } from "react";
import { Button, Link, LocaleSelect, ProblemAlert, ThemeToggle, useRoute, useSharedT } from "@alorig/ui";
import { useSession } from "./api";
import { useT } from "./i18n";
import { SignInScreen } from "./features/signin/SignInScreen";
import { StoreList } from "./features/stores/StoreList";
import { StoreDetail } from "./features/stores/StoreDetail";
import { ModerationQueue } from "./features/moderation/ModerationQueue";
import { Metrics } from "./features/metrics/Metrics";
import { AuditLog } from "./features/audit/AuditLog";

export function App() {
  const status = useSession((s) => s.status);
  const user = useSession((s) => s.user);
  const load = useSession((s) => s.load);
  const [loadError, setLoadError] = useState<unknown>();
  const shared = useSharedT();

  useEffect(() => {
    load().catch(setLoadError);
  }, [load]);

  if (loadError && status === "loading") {
    return <main className="mx-auto max-w-md p-6"><ProblemAlert error={loadError} /></main>;
  }
  if (status === "loading") return <main className="p-6" aria-busy="true">{shared("common.loading")}</main>;
  if (status === "signedOut") return <SignInScreen />;
  if (user && user.role !== "admin") return <NotAdmin />;
  return (
    <>
      <Shell />
      {status === "expired" && (
        <div className="fixed inset-0 z-10 overflow-auto bg-surface/95"><SignInScreen /></div>
      )}
    </>
  );
}

function NotAdmin() {
  const t = useT();
  const shared = useSharedT();
  const signOut = useSession((s) => s.signOut);
  return (
    <main className="mx-auto flex max-w-md flex-col gap-4 p-6">
      <h1 className="text-2xl font-bold">{t("app.name")}</h1>
      <p role="alert" className="rounded-md border border-bad/50 bg-bad/10 p-3">{t("signin.notAdmin")}</p>
      <Button variant="secondary" onClick={() => void signOut()}>{shared("auth.signOut")}</Button>
    </main>
  );
}

function Shell() {
  const t = useT();
  const shared = useSharedT();
  const route = useRoute();
  const user = useSession((s) => s.user);
  const signOut = useSession((s) => s.signOut);
  const storeMatch = /^\/stores\/(\d+)$/.exec(route);
  let screen;
  if (storeMatch) screen = <StoreDetail id={Number(storeMatch[1])} />;
  else if (route === "/moderation") screen = <ModerationQueue />;
  else if (route === "/metrics") screen = <Metrics />;
  else if (route === "/audit") screen = <AuditLog />;
  else screen = <StoreList />;
  const links: [string, string][] = [["/stores", t("nav.stores")], ["/moderation", t("nav.moderation")], ["/metrics", t("nav.metrics")], ["/audit", t("nav.audit")]];

  return (
    <div className="min-h-dvh bg-bg text-fg">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:start-2 focus:top-2 focus:rounded focus:bg-surface focus:p-2">{t("app.skip")}</a>
      <header className="border-b border-line bg-surface">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-2">
          <span className="text-lg font-bold">{t("app.name")}</span>
          <nav aria-label={t("nav.label")} className="order-last w-full overflow-x-auto md:order-none md:w-auto">
            <ul className="flex gap-1">
              {links.map(([to, label]) => (
                <li key={to}>
                  <Link to={to} className="inline-flex min-h-10 items-center rounded-md px-3 text-sm font-medium hover:bg-raised aria-[current=page]:bg-raised aria-[current=page]:underline">
                    {label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <div className="ms-auto flex items-center gap-2">
            <span className="hidden text-sm text-muted sm:inline">{user?.email ?? user?.display_name}</span>
            <LocaleSelect />
            <ThemeToggle />
            <Button variant="ghost" onClick={() => void signOut()}>{shared("auth.signOut")}</Button>
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl p-4">{screen}</main>
    </div>
  );
}
