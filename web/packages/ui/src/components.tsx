// The shared components: small, accessible, styled only with the design tokens, laid out with
// logical properties so they mirror under right-to-left.
import { useEffect, useId, useRef, useState, type ButtonHTMLAttributes, type InputHTMLAttributes, type ReactNode } from "react";
import { create } from "zustand";
import { LOCALES, useLocale, useSharedT, type Locale } from "./i18n";

type Variant = "primary" | "secondary" | "danger" | "ghost";

const variants: Record<Variant, string> = {
  primary: "bg-accent text-accent-fg hover:opacity-90",
  secondary: "bg-raised text-fg border border-line hover:bg-line",
  danger: "bg-bad text-white hover:opacity-90",
  ghost: "text-fg hover:bg-raised",
};

export function Button({ variant = "primary", className = "", busy, children, disabled, ...rest }:
  ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; busy?: boolean }) {
  return (
    <button
      type="button"
      {...rest}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      className={`inline-flex min-h-10 items-center justify-center gap-2 rounded-md px-4 py-2 text-sm font-semibold disabled:cursor-not-allowed disabled:opacity-50 ${variants[variant]} ${className}`}
    >
      {children}
    </button>
  );
}

/** A labelled input with its hint and error wired to aria-describedby. */
export function Field({ label, hint, error, className = "", ...input }:
  InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string; error?: string }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errId = error ? `${id}-err` : undefined;
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={id} className="text-sm font-medium">{label}</label>
      <input
        id={id}
        {...input}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hintId, errId].filter(Boolean).join(" ") || undefined}
        className="min-h-10 rounded-md border border-line bg-surface px-3 py-2 text-fg aria-[invalid=true]:border-bad"
      />
      {hint && <p id={hintId} className="text-xs text-muted">{hint}</p>}
      {error && <p id={errId} className="text-xs text-bad">{error}</p>}
    </div>
  );
}

export function Card({ title, actions, children, className = "", labelledBy }:
  { title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string; labelledBy?: string }) {
  const id = useId();
  return (
    <section aria-labelledby={title ? (labelledBy ?? id) : undefined} className={`rounded-lg border border-line bg-surface p-4 ${className}`}>
      {(title || actions) && (
        <header className="mb-3 flex items-center justify-between gap-2">
          {title && <h2 id={labelledBy ?? id} className="text-base font-semibold">{title}</h2>}
          {actions}
        </header>
      )}
      {children}
    </section>
  );
}

export function Badge({ tone = "neutral", children }: { tone?: "good" | "bad" | "warn" | "neutral"; children: ReactNode }) {
  const tones = {
    good: "bg-good/15 text-good border-good/40",
    bad: "bg-bad/15 text-bad border-bad/40",
    warn: "bg-warn/15 text-warn border-warn/40",
    neutral: "bg-raised text-muted border-line",
  };
  return <span className={`inline-flex items-center rounded border px-2 py-0.5 text-xs font-semibold ${tones[tone]}`}>{children}</span>;
}

/**
 * A modal dialog on the native <dialog> element: focus is trapped and restored by the browser,
 * Escape closes it unless `required` (an acknowledgement that must be given).
 */
export function Dialog({ open, title, children, onClose, required }:
  { open: boolean; title: string; children: ReactNode; onClose?: () => void; required?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={id}
      onCancel={(e) => {
        if (required) e.preventDefault();
        else onClose?.();
      }}
      className="m-auto max-w-lg rounded-lg border border-line bg-surface p-6 text-fg backdrop:bg-black/60"
    >
      <h2 id={id} className="mb-3 text-lg font-semibold">{title}</h2>
      {children}
    </dialog>
  );
}

type Theme = "system" | "light" | "dark";
const THEME_KEY = "alorig.theme";

function readTheme(): Theme {
  try {
    const t = localStorage.getItem(THEME_KEY);
    if (t === "light" || t === "dark") return t;
  } catch {
    // Storage closed: the system's choice applies.
  }
  return "system";
}

export function applyTheme(t: Theme) {
  if (t === "system") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = t;
}

export const useTheme = create<{ theme: Theme; setTheme(t: Theme): void }>((set) => ({
  theme: readTheme(),
  setTheme(t) {
    try {
      if (t === "system") localStorage.removeItem(THEME_KEY);
      else localStorage.setItem(THEME_KEY, t);
    } catch {
      // Applied for this visit only.
    }
    applyTheme(t);
    set({ theme: t });
  },
}));

export function ThemeToggle() {
  const { theme, setTheme } = useTheme();
  const t = useSharedT();
  const dark = theme === "dark" || (theme === "system" && matchMedia("(prefers-color-scheme: dark)").matches);
  return (
    <Button variant="ghost" aria-label={t("theme.toggle")} aria-pressed={dark} onClick={() => setTheme(dark ? "light" : "dark")}>
      <span aria-hidden="true">{dark ? "☾" : "☀"}</span>
    </Button>
  );
}

export function LocaleSelect() {
  const { locale, setLocale } = useLocale();
  const t = useSharedT();
  const id = useId();
  return (
    <span className="inline-flex items-center gap-2">
      <label htmlFor={id} className="sr-only">{t("locale.label")}</label>
      <select id={id} value={locale} onChange={(e) => setLocale(e.target.value as Locale)}
        className="min-h-10 rounded-md border border-line bg-surface px-2 text-sm">
        {LOCALES.map((l) => <option key={l.id} value={l.id}>{l.name}</option>)}
      </select>
    </span>
  );
}

/** Counts down to `until` (ms since epoch) against `now`, as h:mm:ss. */
export function formatRemaining(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return `${h}:${String(m).padStart(2, "0")}:${String(sec).padStart(2, "0")}`;
}

/** Re-renders every `ms` and returns the current time: for countdowns and stale marks. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}
