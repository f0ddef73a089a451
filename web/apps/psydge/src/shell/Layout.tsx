import type { ReactNode } from "react";
import { Link, LocaleSelect, ThemeToggle } from "@alorig/ui";
import { useSession } from "../api";

export function Layout({ children }: { children: ReactNode }) {
  const signOut = useSession((s) => s.signOut);
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="flex flex-wrap items-center gap-3 border-b border-line bg-surface px-4 py-2">
        <span className="font-bold">Psydge</span>
        <nav aria-label="Panel" className="flex gap-2">
          <Link to="/">Trade</Link>
          <Link to="/signals">Signals</Link>
          <Link to="/score">Score</Link>
          <Link to="/journal">Journal</Link>
          <Link to="/settings">Settings</Link>
        </nav>
        <span className="ms-auto flex items-center gap-2">
          <LocaleSelect />
          <ThemeToggle />
          <button type="button" onClick={() => void signOut()}>Sign out</button>
        </span>
      </header>
      <main className="flex-1 p-4">{children}</main>
    </div>
  );
}
