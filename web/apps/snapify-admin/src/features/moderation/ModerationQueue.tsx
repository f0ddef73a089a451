// The moderation queue: products no admin has looked at since they last changed, or the
// blocked ones. Approve takes a product out of the queue (and restores a blocked one); reject
// blocks it with a reason the seller is shown.
import { useState, type FormEvent } from "react";
import { Badge, Button, Dialog, fieldError, formatMoney, ProblemAlert, useLocale } from "@alorig/ui";
import { api } from "../../api";
import { useT } from "../../i18n";
import { useResource } from "../../lib/useResource";
import { Pager, storeURL, TextArea, useDates } from "../../lib/ui";
import type { ModerationPage, ProductAction, QueuedProduct } from "../../types";

type Queue = "pending" | "blocked";

export function ModerationQueue() {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const { dateTime, number } = useDates();
  const [queue, setQueue] = useState<Queue>("pending");
  const [page, setPage] = useState(1);
  const res = useResource<ModerationPage>("/admin/products", { queue, page });
  const [busy, setBusy] = useState<number>();
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const [rejecting, setRejecting] = useState<QueuedProduct>();

  async function approve(item: QueuedProduct) {
    setBusy(item.product.id);
    setError(undefined);
    try {
      await api.post<ProductAction>(`/admin/products/${item.product.id}/moderate`, { status: "active" });
      setDone(t("moderation.approved", { title: item.product.title }));
      res.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-bold">{t("moderation.title")}</h1>
      <div role="group" aria-label={t("moderation.queue")} className="flex gap-2">
        {(["pending", "blocked"] as Queue[]).map((q) => (
          <Button key={q} variant={q === queue ? "primary" : "secondary"} aria-pressed={q === queue}
            onClick={() => { setQueue(q); setPage(1); setDone(undefined); }}>
            {t(`moderation.${q}`)}
          </Button>
        ))}
      </div>
      {done && <p role="status" className="rounded-md border border-good/50 bg-good/10 p-3 text-sm">{done}</p>}
      <ProblemAlert error={error ?? res.error} />
      {res.data && (
        <>
          <p className="text-sm text-muted">{t("moderation.count", { n: number(res.data.total) })}</p>
          {res.data.items.length === 0 && <p>{t("moderation.empty")}</p>}
          <ul className="grid grid-cols-1 gap-3 md:grid-cols-2">
            {res.data.items.map((item) => {
              const p = item.product;
              return (
                <li key={p.id} className="flex flex-col gap-2 rounded-lg border border-line bg-surface p-3">
                  <div className="flex flex-wrap items-start justify-between gap-2">
                    <h2 className="font-semibold" dir="auto">{p.title}</h2>
                    <Badge tone={p.status === "blocked" ? "bad" : p.status === "hidden" ? "warn" : "good"}>{p.status}</Badge>
                  </div>
                  <p className="text-sm text-muted">
                    <span dir="auto">{t("moderation.from", { store: item.store.name })}</span> · {dateTime(p.updated_at)}
                  </p>
                  <p className="text-sm">{t("moderation.price")}: {formatMoney(p.price_paisa, "PKR", locale === "ur" ? "ur-PK" : "en-PK")}</p>
                  {p.description && <p className="line-clamp-3 text-sm" dir="auto">{p.description}</p>}
                  {p.moderation_note && <p className="text-sm text-bad">{t("moderation.note", { note: p.moderation_note })}</p>}
                  <div className="mt-auto flex flex-wrap items-center gap-2">
                    <Button busy={busy === p.id} onClick={() => void approve(item)}>
                      {p.status === "blocked" ? t("moderation.unblock") : t("moderation.approve")}
                    </Button>
                    {p.status !== "blocked" && <Button variant="danger" onClick={() => setRejecting(item)}>{t("moderation.reject")}</Button>}
                    <a className="text-sm text-accent underline" href={storeURL(item.store.slug, p.slug)} target="_blank" rel="noreferrer">
                      {t("moderation.view")}<span className="sr-only">: {p.title}</span>
                    </a>
                  </div>
                </li>
              );
            })}
          </ul>
          <Pager page={page} total={res.data.total} size={50} onPage={setPage} />
        </>
      )}
      <RejectDialog item={rejecting} onClose={() => setRejecting(undefined)}
        onDone={(title) => { setRejecting(undefined); setDone(t("moderation.rejected", { title })); res.reload(); }} />
    </div>
  );
}

function RejectDialog({ item, onClose, onDone }: { item?: QueuedProduct; onClose(): void; onDone(title: string): void }) {
  const t = useT();
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  function close() {
    setNote("");
    setError(undefined);
    onClose();
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!item) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.post<ProductAction>(`/admin/products/${item.product.id}/moderate`, { status: "blocked", note: note.trim() });
      setNote("");
      onDone(item.product.title);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open={!!item} title={item ? t("moderation.rejectTitle", { title: item.product.title }) : ""} onClose={close}>
      <form onSubmit={submit} className="flex flex-col gap-3">
        <TextArea label={t("store.reasonRequired")} hint={t("moderation.rejectHint")} required minLength={3} maxLength={500}
          value={note} onChange={(e) => setNote(e.target.value)} error={fieldError(error, "note")} />
        <ProblemAlert error={error} />
        <div className="flex justify-end gap-2">
          <Button variant="ghost" onClick={close}>{t("common.cancel")}</Button>
          <Button type="submit" variant="danger" busy={busy}>{t("moderation.reject")}</Button>
        </div>
      </form>
    </Dialog>
  );
}
