// One store: its seller, sales and the last admin actions on it, with verify / remove
// verification, suspend (a reason is required and shown to the seller) and lift the
// suspension. After each action the screen says whether the seller was told on WhatsApp.
import { useState, type FormEvent } from "react";
import { Badge, Button, Card, Dialog, fieldError, formatMoney, Link, ProblemAlert, useLocale } from "@alorig/ui";
import { api } from "../../api";
import { useT } from "../../i18n";
import { useResource } from "../../lib/useResource";
import { NoticeText, storeURL, TextArea, useDates } from "../../lib/ui";
import type { StoreAction, StoreDetail as Detail } from "../../types";
import { AuditTable } from "../audit/AuditTable";

type Kind = "verify" | "unverify" | "suspend" | "unsuspend";

export function StoreDetail({ id }: { id: number }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const { dateTime, number } = useDates();
  const res = useResource<Detail>(`/admin/stores/${id}`);
  const [action, setAction] = useState<Kind>();
  const [done, setDone] = useState<StoreAction>();

  const d = res.data;
  const s = d?.store;
  return (
    <div className="flex flex-col gap-4">
      <Link to="/stores" className="text-sm text-accent underline">← {t("store.back")}</Link>
      <ProblemAlert error={res.error} />
      {done && (
        <div role="status" className={`rounded-md border p-3 text-sm ${done.audit.notice === "not_sent" || done.audit.notice === "failed" ? "border-warn/50 bg-warn/10" : "border-good/50 bg-good/10"}`}>
          <p className="font-semibold">{t("done.verify", { store: done.store.name, outcome: done.audit.outcome })}</p>
          <p><NoticeText entry={done.audit} /></p>
        </div>
      )}
      {s && d && (
        <>
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="text-xl font-bold">{s.name}</h1>
            {s.verified && <Badge tone="good">{t("stores.verified")}</Badge>}
            {s.suspended_at ? <Badge tone="bad">{t("stores.suspended")}</Badge> : <Badge tone="good">{t("stores.live")}</Badge>}
            <Badge>{s.tier === "pro" ? t("stores.pro") : t("stores.free")}</Badge>
          </div>
          <p className="text-sm"><a className="text-accent underline" dir="ltr" href={storeURL(s.slug)} target="_blank" rel="noreferrer">{t("store.open")}: /{s.slug}</a></p>
          {s.suspended_at && (
            <p className="rounded-md border border-bad/50 bg-bad/10 p-3 text-sm">
              {t("store.suspendedBecause", { when: dateTime(s.suspended_at), reason: s.suspended_reason || t("common.none") })}
            </p>
          )}
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
            {([
              [t("stores.col.city"), s.city || t("common.none")],
              [t("store.seller"), d.owner.display_name || `#${d.owner.id}`],
              [t("store.phone"), <span dir="ltr" key="p">{d.owner.phone ?? s.whatsapp_phone}</span>],
              [t("store.products"), number(s.product_count)],
              [t("store.blocked"), number(d.blocked_products)],
              [t("store.orders30"), number(d.orders_30d)],
              [t("store.gmv30"), formatMoney(d.gmv_30d_paisa, "PKR", locale === "ur" ? "ur-PK" : "en-PK")],
            ] as const).map(([k, v]) => (
              <div key={k} className="rounded-md border border-line bg-surface p-3">
                <dt className="text-xs text-muted">{k}</dt>
                <dd className="font-semibold break-all">{v}</dd>
              </div>
            ))}
          </dl>
          <div className="flex flex-wrap gap-2">
            {s.verified
              ? <Button variant="secondary" onClick={() => setAction("unverify")}>{t("store.unverify")}</Button>
              : <Button onClick={() => setAction("verify")}>{t("store.verify")}</Button>}
            {s.suspended_at
              ? <Button variant="secondary" onClick={() => setAction("unsuspend")}>{t("store.unsuspend")}</Button>
              : <Button variant="danger" onClick={() => setAction("suspend")}>{t("store.suspend")}</Button>}
          </div>
          <Card title={t("store.history")}>
            <AuditTable entries={d.audit} />
          </Card>
          <ActionDialog kind={action} storeId={s.id} name={s.name} onClose={() => setAction(undefined)}
            onDone={(r) => { setAction(undefined); setDone(r); res.reload(); }} />
        </>
      )}
    </div>
  );
}

function ActionDialog({ kind, storeId, name, onClose, onDone }:
  { kind?: Kind; storeId: number; name: string; onClose(): void; onDone(r: StoreAction): void }) {
  const t = useT();
  const shared = useT();
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const required = kind === "suspend";

  function close() {
    setReason("");
    setError(undefined);
    onClose();
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!kind) return;
    setBusy(true);
    setError(undefined);
    try {
      const path = kind === "verify" || kind === "unverify" ? "verify" : kind;
      const body: Record<string, unknown> = { reason: reason.trim() };
      if (path === "verify") body.verified = kind === "verify";
      const r = await api.post<StoreAction>(`/admin/stores/${storeId}/${path}`, body);
      setReason("");
      onDone(r);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const titles: Record<Kind, string> = {
    verify: t("store.verifyTitle", { name }),
    unverify: t("store.unverifyTitle", { name }),
    suspend: t("store.suspendTitle", { name }),
    unsuspend: t("store.unsuspendTitle", { name }),
  };
  const confirm: Record<Kind, string> = {
    verify: t("store.verify"), unverify: t("store.unverify"), suspend: t("store.suspend"), unsuspend: t("store.unsuspend"),
  };
  return (
    <Dialog open={!!kind} title={kind ? titles[kind] : ""} onClose={close}>
      <form onSubmit={submit} className="flex flex-col gap-3">
        {kind === "suspend" && <p className="text-sm">{t("store.suspendWarn")}</p>}
        <TextArea label={required ? t("store.reasonRequired") : t("store.reasonOptional")} hint={t("store.reasonHint")}
          required={required} minLength={required ? 3 : undefined} maxLength={500} value={reason}
          onChange={(e) => setReason(e.target.value)} error={fieldError(error, "reason")} />
        <ProblemAlert error={error} />
        <div className="flex justify-end gap-2">
          <Button variant="ghost" onClick={close}>{shared("common.cancel")}</Button>
          <Button type="submit" variant={kind === "suspend" ? "danger" : "primary"} busy={busy}>{kind ? confirm[kind] : ""}</Button>
        </div>
      </form>
    </Dialog>
  );
}
