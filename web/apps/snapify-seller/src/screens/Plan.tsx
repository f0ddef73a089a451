// The plan: Free or Pro with its renewal date and grace, the upgrade (or another month) paid
// with JazzCash or EasyPaisa, the email receipts go to, and the last payments. A checkout
// answers a form that the browser posts to the gateway (a real form submission, since the
// gateway's page takes over the tab); the gateway sends the seller back to
// /settings?payment={ref}&result=paid|failed|pending, which this card reads once.
import { useEffect, useState, type FormEvent } from "react";
import { Badge, Button, Card, Field, ProblemAlert, fieldError, formatMoney, useLocale } from "@alorig/ui";
import { api } from "../api";
import { fill, useT } from "../i18n";
import { readCached } from "../offline";
import { storePath, useStores } from "../store";
import type { CheckoutAnswer, PlanAnswer, Store, SubscriptionAnswer } from "../types";

type Gateway = PlanAnswer["gateways"][number]["name"];

/** Posts the gateway's form from the page, as its hosted checkout expects. */
export function submitGatewayForm(form: NonNullable<CheckoutAnswer["form"]>, doc: Document = document): void {
  const el = doc.createElement("form");
  el.method = form.method;
  el.action = form.action;
  for (const [name, value] of Object.entries(form.fields)) {
    const input = doc.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    el.appendChild(input);
  }
  doc.body.appendChild(el);
  el.submit();
}

/** The ?payment=&result= the gateway's return left on the address, removed once read. */
function takeReturn(): { ref: string; result: string } | undefined {
  const q = new URLSearchParams(window.location.search);
  const ref = q.get("payment");
  const result = q.get("result");
  if (!ref || !result) return undefined;
  window.history.replaceState(null, "", window.location.pathname);
  return { ref, result };
}

export function Plan() {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const store = useStores((s) => s.current)!;
  const [plan, setPlan] = useState<PlanAnswer>();
  const [sub, setSub] = useState<SubscriptionAnswer>();
  const [email, setEmail] = useState(store.email ?? "");
  const [returned] = useState(takeReturn);
  const [note, setNote] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState("");

  useEffect(() => {
    readCached(`plan:${store.slug}`, () => api.get<PlanAnswer>(`${storePath()}/plan`)).then((r) => setPlan(r.data), setError);
    readCached(`subscription:${store.slug}`, () => api.get<SubscriptionAnswer>(`${storePath()}/subscription`)).then((r) => setSub(r.data), () => undefined);
  }, [store.slug]);

  async function pay(gateway: Gateway) {
    setBusy(gateway);
    setError(null);
    try {
      const c = await api.post<CheckoutAnswer>(`${storePath()}/plan/checkout`, { gateway });
      if (c.form) submitGatewayForm(c.form);
    } catch (e) {
      setError(e);
      setBusy("");
    }
  }

  async function saveEmail(e: FormEvent) {
    e.preventDefault();
    setBusy("email");
    setError(null);
    setNote("");
    try {
      const s = await api.patch<Store>(`${storePath()}/settings`, { email: email.trim() });
      useStores.getState().set(s);
      setNote(t("plan.emailSaved"));
    } catch (err) {
      setError(err);
    } finally {
      setBusy("");
    }
  }

  const day = (iso?: string | null) =>
    iso ? new Date(iso).toLocaleDateString(locale === "ur" ? "ur-PK" : "en-PK", { day: "numeric", month: "long", year: "numeric" }) : "";
  const pro = plan?.plan === "pro";
  const grace = plan?.status === "past_due";
  return (
    <Card title={t("plan.title")}>
      {returned && (
        <p role="status" className={`mb-2 text-sm ${returned.result === "paid" ? "text-good" : "text-bad"}`}>
          {returned.result === "paid" ? t("plan.paid") : returned.result === "pending" ? t("plan.pending") : t("plan.failed")}
        </p>
      )}
      {plan && (
        <div className="mb-2 flex flex-col gap-1 text-sm">
          <p>
            <strong>{pro ? t("plan.pro") : t("plan.free")}</strong>{" "}
            <Badge tone={grace ? "warn" : "good"}>{grace ? t("plan.grace") : t("plan.active")}</Badge>
            {" · "}{fill(t("plan.perMonth"), { price: <bdi>{formatMoney(plan.price_paisa, "PKR")}</bdi> })}
          </p>
          {pro && !grace && plan.renews_at && <p>{fill(t("plan.until"), { date: <bdi>{day(plan.renews_at)}</bdi> })}</p>}
          {grace && plan.grace_until && (
            <p className="text-bad">{fill(t("plan.graceUntil"), { date: <bdi>{day(plan.grace_until)}</bdi> })}</p>
          )}
          {sub?.product_limit != null && (
            <p>{fill(t("plan.products"), { count: <bdi>{sub.product_count}</bdi>, limit: <bdi>{sub.product_limit}</bdi> })}</p>
          )}
        </div>
      )}
      {plan && (
        <>
          {!pro && <p className="mb-2 text-sm text-muted">{t("plan.proOffer")}</p>}
          <p className="mb-2 text-sm font-medium">{pro && !grace ? t("plan.extend") : t("plan.upgrade")}</p>
          <div className="flex flex-wrap gap-2">
            {plan.gateways.map((g) => (
              <Button key={g.name} variant={g.name === "jazzcash" ? "primary" : "secondary"} busy={busy === g.name}
                disabled={!g.available || busy !== ""} title={g.available ? undefined : g.reason}
                onClick={() => void pay(g.name)}>
                {g.name === "jazzcash" ? t("plan.payJazzCash") : t("plan.payEasyPaisa")}
              </Button>
            ))}
          </div>
          {plan.gateways.some((g) => !g.available) && <p className="mt-1 text-xs text-muted">{t("plan.unavailable")}</p>}
          <form onSubmit={saveEmail} className="mt-3 flex flex-col gap-2" noValidate>
            <Field label={t("plan.email")} type="email" value={email} onChange={(e) => setEmail(e.target.value)}
              hint={t("plan.emailHint")} error={fieldError(error, "email")} />
            <Button type="submit" variant="secondary" busy={busy === "email"}>{t("plan.emailSave")}</Button>
          </form>
          {plan.payments.length > 0 && (
            <table className="mt-3 w-full text-start text-xs">
              <caption className="text-start font-medium">{t("plan.payments")}</caption>
              <tbody>
                {plan.payments.map((p) => (
                  <tr key={p.ref} className="border-t border-line">
                    <td className="py-1"><bdi>{day(p.created_at)}</bdi></td>
                    <td>{p.gateway === "jazzcash" ? "JazzCash" : "EasyPaisa"}</td>
                    <td><bdi>{formatMoney(p.amount_paisa, "PKR")}</bdi></td>
                    <td>{t(`plan.status.${p.status}`)}</td>
                    <td className="font-mono" dir="ltr">{p.ref}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {note && <p role="status" className="mt-2 text-sm text-good">{note}</p>}
      {error != null && <ProblemAlert error={error} className="mt-2" />}
    </Card>
  );
}
