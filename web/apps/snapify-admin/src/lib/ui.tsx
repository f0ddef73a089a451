// Small pieces several screens use: a labelled text area, a select, the pager, a table that
// scrolls sideways on a phone, dates in the chosen language, and the seller-notice sentence.
import { useId, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";
import { Button, useLocale } from "@alorig/ui";
import { useT } from "../i18n";
import type { AuditEntry } from "../types";

export function TextArea({ label, hint, error, ...rest }:
  TextareaHTMLAttributes<HTMLTextAreaElement> & { label: string; hint?: string; error?: string }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errId = error ? `${id}-err` : undefined;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">{label}</label>
      <textarea id={id} rows={3} {...rest} aria-invalid={error ? true : undefined}
        aria-describedby={[hintId, errId].filter(Boolean).join(" ") || undefined}
        className="rounded-md border border-line bg-surface px-3 py-2 text-fg aria-[invalid=true]:border-bad" />
      {hint && <p id={hintId} className="text-xs text-muted">{hint}</p>}
      {error && <p id={errId} className="text-xs text-bad">{error}</p>}
    </div>
  );
}

export function Select({ label, children, ...rest }: SelectHTMLAttributes<HTMLSelectElement> & { label: string; children: ReactNode }) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">{label}</label>
      <select id={id} {...rest} className="min-h-10 rounded-md border border-line bg-surface px-2 text-fg">{children}</select>
    </div>
  );
}

export function Pager({ page, total, size, onPage }: { page: number; total: number; size: number; onPage(p: number): void }) {
  const t = useT();
  const pages = Math.max(1, Math.ceil(total / size));
  if (pages <= 1) return null;
  return (
    <nav aria-label={t("common.page", { page, pages })} className="mt-3 flex items-center justify-between gap-2">
      <Button variant="secondary" disabled={page <= 1} onClick={() => onPage(page - 1)}>{t("common.prev")}</Button>
      <span className="text-sm text-muted">{t("common.page", { page, pages })}</span>
      <Button variant="secondary" disabled={page >= pages} onClick={() => onPage(page + 1)}>{t("common.next")}</Button>
    </nav>
  );
}

/** A table that scrolls sideways inside its own focusable region on narrow screens. */
export function ScrollTable({ label, children }: { label: string; children: ReactNode }) {
  const t = useT();
  return (
    <div role="region" aria-label={t("common.scrollTable", { name: label })} tabIndex={0} className="overflow-x-auto rounded-md border border-line">
      <table className="w-full min-w-[40rem] text-sm [&_td]:px-3 [&_td]:py-2 [&_th]:px-3 [&_th]:py-2 [&_th]:text-start [&_thead]:bg-raised [&_tr]:border-b [&_tr]:border-line">
        {children}
      </table>
    </div>
  );
}

export function useDates() {
  const locale = useLocale((s) => s.locale);
  const tag = locale === "ur" ? "ur-PK" : "en-PK";
  return {
    dateTime: (iso: string) => new Intl.DateTimeFormat(tag, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso)),
    date: (iso: string) => new Intl.DateTimeFormat(tag, { dateStyle: "medium" }).format(new Date(iso)),
    number: (n: number) => new Intl.NumberFormat(tag).format(n),
  };
}

/** What became of the seller's WhatsApp message, in a sentence. */
export function NoticeText({ entry }: { entry: Pick<AuditEntry, "notice" | "notice_detail"> }) {
  const t = useT();
  return <>{t(`notice.${entry.notice}`, { detail: entry.notice_detail })}</>;
}

/** The store's public page: the admin host's sibling without "admin.". */
export function storeURL(slug: string, product?: string): string {
  const host = window.location.host.replace(/^admin\./, "");
  return `${window.location.protocol}//${host}/${slug}${product ? `/${product}` : ""}`;
}
