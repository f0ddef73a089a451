// A small client router over the History API, enough for the dashboards: the app lives under
// a base path (/app), routes are plain paths below it, and the server answers index.html for
// any of them (web.MountSPA), so a reload or a shared link lands on the same screen.
import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from "react";

let base = "";

/** Sets the path the app is served under ("/app"); call once before rendering. */
export function setRouterBase(b: string) {
  base = b.replace(/\/$/, "");
}

function subscribe(cb: () => void) {
  window.addEventListener("popstate", cb);
  return () => window.removeEventListener("popstate", cb);
}

function current(): string {
  const p = window.location.pathname;
  const rel = p.startsWith(base) ? p.slice(base.length) : p;
  return rel === "" ? "/" : rel;
}

/** The route below the base path, e.g. "/history". */
export function useRoute(): string {
  return useSyncExternalStore(subscribe, current, () => "/");
}

export function navigate(to: string, replace = false) {
  const url = base + to;
  if (replace) window.history.replaceState(null, "", url);
  else window.history.pushState(null, "", url);
  window.dispatchEvent(new PopStateEvent("popstate"));
}

/** A link inside the app: a real <a href> (open in a new tab works), navigated without reload. */
export function Link({ to, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const route = useRoute();
  const active = route === to || (to !== "/" && route.startsWith(to + "/"));
  return (
    <a
      {...rest}
      href={base + to}
      aria-current={active ? "page" : undefined}
      onClick={(e: MouseEvent<HTMLAnchorElement>) => {
        onClick?.(e);
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(to);
      }}
    />
  );
}
