// The trader's plan (Core is free; Vista adds the strategies and their signals), with an
// "Upgrade" button that opens Stripe Checkout and "Manage plan" that opens Stripe's billing
// portal. Both are POSTs that answer the page to go to; the server decides what is on sale.
import { useState } from "react";
import { Badge, Button, Card, ProblemAlert, useLocale } from "@alorig/ui";
import type { components } from "@alorig/api/psydge";
import { api } from "../api";
import { useT } from "../i18n";
import type { Got } from "./useGet";

export type BillingStatus = components["schemas"]["BillingStatus"];
type Redirect = components["schemas"]["Redirect"];

/** Leaves the panel for Stripe; a function so tests can see where it would go. */
export const leave = { to: (url: string) => window.location.assign(url) };

/** The paid plan an upgrade buys: the one the refusal named, else the first one on sale. */
export function upgradeTarget(b: BillingStatus | undefined, wanted?: string): string | undefined {
  if (!b?.upgrade_available) return undefined;
  const sale = b.plans.filter((p) => p.for_sale && p.name !== b.plan);
  return (sale.find((p) => p.name === wanted) ?? sale[0])?.name;
}

/** Starts Checkout or opens the portal, keeping the server's refusal to show. */
export function useBillingActions() {
  const [busy, setBusy] = useState<"checkout" | "portal">();
  const [error, setError] = useState<unknown>();
  async function go(kind: "checkout" | "portal", plan?: string) {
    setBusy(kind);
    setError(undefined);
    try {
      const r = kind === "checkout" ? await api.post<Redirect>("/billing/checkout", { plan }) : await api.post<Redirect>("/billing/portal");
      leave.to(r.url);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(undefined);
    }
  }
  return { busy, error, checkout: (plan: string) => go("checkout", plan), portal: () => go("portal") };
}

export function PlanCard({ billing, actions }: { billing: Got<BillingStatus>; actions: ReturnType<typeof useBillingActions> }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const b = billing.data;
  const day = (iso?: string) => (iso ? new Date(iso).toLocaleDateString(locale, { dateStyle: "medium" }) : "");
  const title = (name: string) => b?.plans.find((p) => p.name === name)?.title ?? (name === "core" ? "Core" : name);
  const target = upgradeTarget(b);
  return (
    <Card title={t("plan.title")}>
      {billing.error !== undefined && <ProblemAlert error={billing.error} />}
      {b && (
        <div className="flex flex-col gap-2 text-sm">
          <p className="flex flex-wrap items-center gap-2">
            <span>{t("plan.current")}</span>
            <span className="font-semibold" data-plan={b.plan}>{title(b.plan)}</span>
            {b.status !== "none" && <Badge tone={b.status === "active" || b.status === "granted" || b.status === "trialing" ? "good" : "warn"}>{b.status}</Badge>}
          </p>
          {b.grace_until && <p className="text-warn">{t("plan.grace", { date: day(b.grace_until) })}</p>}
          {b.period_end && <p className="text-muted">{t(b.cancel_at_period_end ? "plan.ends" : "plan.renews", { date: day(b.period_end) })}</p>}
          {b.granted_until && <p className="text-muted">{t("plan.grantedUntil", { date: day(b.granted_until) })}</p>}
          {!b.configured && <p className="text-muted">{t("plan.notConfigured")}</p>}
          <div className="flex flex-wrap gap-2">
            {target && (
              <Button busy={actions.busy === "checkout"} onClick={() => void actions.checkout(target)}>
                {t("plan.upgrade", { plan: title(target) })}
              </Button>
            )}
            {b.manage_available && (
              <Button variant="secondary" busy={actions.busy === "portal"} onClick={() => void actions.portal()}>{t("plan.manage")}</Button>
            )}
          </div>
        </div>
      )}
      {actions.error !== undefined && <ProblemAlert error={actions.error} className="mt-2" />}
    </Card>
  );
}
