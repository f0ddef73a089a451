// The panel's frame: an app bar with the screens, the live channel's state, who is signed in
// and sign-out. Below md the screens and the account fold into a menu button, so the bar fits
// a 390 px phone; the live state and the theme stay in the bar on every width.
import { useId, useState, type ReactNode } from "react";
import { Button, Link, LocaleSelect, ThemeToggle } from "@alorig/ui";
import { useSession } from "../api";
import { useLive } from "../live/store";
import { useT } from "../i18n";
import { useConnections } from "./connections";

const SCREENS = [
  { to: "/", key: "nav.trade" },
  { to: "/signals", key: "nav.signals" },
  { to: "/score", key: "nav.score" },
  { to: "/journal", key: "nav.journal" },
  { to: "/ai", key: "nav.ai" },
  { to: "/settings", key: "nav.settings" },
] as const;

const linkClass =
  "rounded-md px-3 py-2 text-sm font-medium text-muted hover:bg-raised hover:text-fg aria-[current=page]:bg-raised aria-[current=page]:text-fg";

export function Layout({ children }: { children: ReactNode }) {
  const t = useT();
  const email = useSession((s) => s.user?.email ?? s.user?.display_name);
  const [menu, setMenu] = useState(false);
  const menuId = useId();

  return (
    <div className="flex min-h-dvh flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:start-2 focus:top-2 focus:z-50 focus:rounded-md focus:bg-surface focus:p-2">
        {t("shell.skip")}
      </a>
      <header className="sticky top-0 z-30 border-b border-line bg-surface"
        onKeyDown={(e) => {
          if (e.key === "Escape" && menu) setMenu(false);
        }}>
        <div className="flex items-center gap-2 px-3 py-2">
          <Link to="/" className="me-2 text-lg font-bold">Psydge</Link>
          <nav aria-label={t("nav.label")} className="hidden md:block">
            <ul className="flex gap-1">
              {SCREENS.map((s) => <li key={s.to}><Link to={s.to} className={linkClass}>{t(s.key)}</Link></li>)}
            </ul>
          </nav>
          <span className="ms-auto flex items-center gap-1 sm:gap-2">
            <LiveStatus />
            {email && <span className="hidden max-w-48 truncate text-sm text-muted lg:inline" title={email}>{email}</span>}
            <span className="hidden md:inline-flex"><LocaleSelect /></span>
            <ThemeToggle />
            <span className="hidden md:inline-flex"><SignOut /></span>
            <Button variant="ghost" className="md:hidden" aria-expanded={menu} aria-controls={menuId} onClick={() => setMenu(!menu)}>
              <span aria-hidden="true">☰</span>
              <span className="sr-only">{t("nav.menu")}</span>
            </Button>
          </span>
        </div>
        <div id={menuId} hidden={!menu} className="border-t border-line px-3 pb-3 md:hidden">
          <nav aria-label={t("nav.label")}>
            <ul className="flex flex-col py-2">
              {SCREENS.map((s) => (
                <li key={s.to}><Link to={s.to} className={`block ${linkClass}`} onClick={() => setMenu(false)}>{t(s.key)}</Link></li>
              ))}
            </ul>
          </nav>
          <div className="flex flex-wrap items-center gap-2 border-t border-line pt-3">
            {email && <span className="w-full truncate text-sm text-muted">{t("shell.signedInAs", { email })}</span>}
            <LocaleSelect />
            <SignOut />
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="flex-1 p-3 sm:p-4">{children}</main>
    </div>
  );
}

function SignOut() {
  const t = useT();
  const signOut = useSession((s) => s.signOut);
  const [busy, setBusy] = useState(false);
  return (
    <Button variant="secondary" busy={busy} onClick={() => {
      setBusy(true);
      // What the store holds belongs to this person: it goes with the session.
      void signOut().finally(() => {
        useLive.getState().reset();
        useConnections.getState().reset();
      });
    }}>
      {t("auth.signOut")}
    </Button>
  );
}

/** The live channel's state, announced politely when it changes. */
function LiveStatus() {
  const t = useT();
  const status = useLive((s) => s.status);
  const tone = status === "open" ? "bg-good" : status === "connecting" ? "bg-warn" : "bg-bad";
  return (
    <span role="status" className="inline-flex items-center gap-1.5 rounded-full border border-line px-2 py-1 text-xs">
      <span aria-hidden="true" className={`size-2 rounded-full ${tone}`} />
      <span className="sr-only">{t("live.label")}: </span>
      {t(`live.${status}`)}
    </span>
  );
}
