// Signals: the Vista strategies, the GO signals the gate will accept (direction, the R they
// target, the indicator readings behind them and when they expire, counted down on the server's
// clock), and the pre-trade validator, whose approval is itself a GO signal for this trader.
import { useState, type FormEvent } from "react";
import { ApiError, Badge, Button, Card, ProblemAlert, formatRemaining, useLocale, useNow } from "@alorig/ui";
import { api } from "../api";
import { useT } from "../i18n";
import { SYMBOLS, useLive } from "../live/store";
import { TIMEFRAMES, useSelection, type Timeframe } from "../market/selection";
import type { SignalRow, Strategy, Verdict } from "../types";
import { useGet } from "./useGet";
import { PlanCard, upgradeTarget, useBillingActions, type BillingStatus } from "./Plan";

export function SignalsScreen() {
  const t = useT();
  const [symbol, setSymbol] = useState("");
  const [all, setAll] = useState(false);
  const [version, setVersion] = useState(0);
  const strategies = useGet<Strategy[]>("/strategies");
  const signals = useGet<SignalRow[]>("/signals", { symbol, live: all ? "false" : undefined, limit: 100 }, version);
  const billing = useGet<BillingStatus>("/billing");
  const actions = useBillingActions();
  const upgrade = (plan?: string) => {
    const target = upgradeTarget(billing.data, plan);
    return target ? () => void actions.checkout(target) : undefined;
  };
  const planTitle = (name: string) => billing.data?.plans.find((p) => p.name === name)?.title ?? name;
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-4">
      <h1 className="text-xl font-bold">{t("signals.title")}</h1>
      <Validator onSignal={() => setVersion((v) => v + 1)} />
      <Card title={t("signals.list")} actions={
        <Button variant="secondary" onClick={signals.reload} busy={signals.loading}>{t("signals.refresh")}</Button>
      }>
        <div className="mb-3 flex flex-wrap items-end gap-4">
          <label className="flex flex-col gap-1 text-sm">
            <span className="font-medium">{t("signals.filterSymbol")}</span>
            <select value={symbol} onChange={(e) => setSymbol(e.target.value)}
              className="min-h-10 rounded-md border border-line bg-surface px-2">
              <option value="">{t("signals.allSymbols")}</option>
              {SYMBOLS.map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
          </label>
          <label className="inline-flex min-h-10 items-center gap-2 text-sm">
            <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
            {t("signals.includeExpired")}
          </label>
        </div>
        <Refused error={signals.error} upgrade={upgrade} busy={actions.busy === "checkout"} planTitle={planTitle} />
        {strategies.error instanceof ApiError && strategies.error.status === 403 && (
          <p className="mb-3 text-sm text-muted">{t("signals.vistaHidden")}</p>
        )}
        {signals.data && <SignalList rows={signals.data} strategies={strategies.data ?? []} />}
      </Card>
      <Card title={t("signals.strategies")}>
        <Refused error={strategies.error} upgrade={upgrade} busy={actions.busy === "checkout"} planTitle={planTitle} />
        {strategies.data && <StrategyList rows={strategies.data} />}
      </Card>
      <PlanCard billing={billing} actions={actions} />
    </div>
  );
}

/**
 * A refusal shown with its reason. Vista outside the trader's plan answers 403 VISTA_REQUIRED
 * (402 is read the same way) naming the plan it needs; when that plan is on sale to them, an
 * upgrade button opens Checkout for it.
 */
export function Refused({ error, upgrade, busy, planTitle = (p) => p }: {
  error: unknown; upgrade?: (plan?: string) => (() => void) | undefined; busy?: boolean; planTitle?: (plan: string) => string;
}) {
  const t = useT();
  if (error === undefined) return null;
  const body = error instanceof ApiError && (error.status === 402 || error.status === 403) ? error.body : undefined;
  const plan = typeof body?.plan === "string" ? body.plan : undefined;
  const buy = plan ? upgrade?.(plan) : undefined;
  return (
    <div className="mb-3 flex flex-col items-start gap-2">
      <ProblemAlert error={error} className="self-stretch" />
      {plan && <p className="text-sm">{t("signals.planNeeded", { plan: planTitle(plan) })}</p>}
      {buy && <Button busy={busy} onClick={buy}>{t("signals.upgrade")}</Button>}
    </div>
  );
}

function SignalList({ rows, strategies }: { rows: SignalRow[]; strategies: Strategy[] }) {
  const t = useT();
  const serverNow = useLive((s) => s.serverNow);
  useNow(1000);
  const now = serverNow();
  if (rows.length === 0) return <p className="text-sm text-muted">{t("signals.none")}</p>;
  const title = (source: string) => source === "validator" ? t("signals.validator") : strategies.find((s) => s.name === source)?.title ?? source;
  return (
    <ul aria-label={t("signals.list")} className="grid gap-3 md:grid-cols-2">
      {rows.map((r) => {
        const left = Date.parse(r.valid_until) - now;
        const live = left > 0 && Date.parse(r.issued_at) <= now;
        // Vista stores "buy"/"sell", the validator "BUY"/"SELL".
        const dir = r.direction.toLowerCase();
        return (
          <li key={r.id} data-signal={r.id} className="rounded-md border border-line p-3">
            <div className="flex flex-wrap items-center gap-2">
              <span className="font-mono font-semibold">{r.symbol}</span>
              <span className="font-mono text-sm text-muted">{r.timeframe}</span>
              <Badge tone={dir === "buy" ? "good" : "bad"}>{t(`signals.dir.${dir}`)}</Badge>
              <span className="text-sm">{title(r.source)}</span>
              <span className="ms-auto text-sm">
                {live ? <Badge tone="warn">{t("signals.expiresIn", { left: formatRemaining(left) })}</Badge> : <Badge>{t("signals.expired")}</Badge>}
              </span>
            </div>
            <dl className="mt-2 grid grid-cols-2 gap-x-3 text-sm sm:grid-cols-4">
              {r.r_multiple > 0 && <Pair k={t("signals.strength")} v={`${r.r_multiple.toFixed(1)}R`} />}
              {r.entry > 0 && <Pair k={t("signals.entry")} v={String(r.entry)} />}
              {r.stop > 0 && <Pair k={t("signals.stop")} v={String(r.stop)} />}
              {r.target > 0 && <Pair k={t("signals.target")} v={String(r.target)} />}
            </dl>
            <Indicators value={r.indicators} />
          </li>
        );
      })}
    </ul>
  );
}

function Pair({ k, v }: { k: string; v: string }) {
  return (
    <div>
      <dt className="text-xs text-muted">{k}</dt>
      <dd className="font-mono">{v}</dd>
    </div>
  );
}

/** The indicator readings behind a signal (NDNS, SV, TM, MOM, FHS, HAMFIST), when it has any. */
function Indicators({ value }: { value: unknown }) {
  const t = useT();
  if (!value || typeof value !== "object") return null;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => typeof v === "number" || typeof v === "string");
  if (entries.length === 0) return null;
  return (
    <details className="mt-2 text-sm">
      <summary className="cursor-pointer text-muted">{t("signals.indicators")}</summary>
      <dl className="mt-1 grid grid-cols-3 gap-x-3">
        {entries.map(([k, v]) => <Pair key={k} k={k.toUpperCase()} v={typeof v === "number" ? String(Math.round(v * 1000) / 1000) : String(v)} />)}
      </dl>
    </details>
  );
}

function StrategyList({ rows }: { rows: Strategy[] }) {
  const t = useT();
  return (
    <ul className="grid gap-3 sm:grid-cols-2">
      {rows.map((s) => (
        <li key={s.name} className="rounded-md border border-line p-3 text-sm">
          <p className="font-semibold">{s.title}</p>
          <p className="text-muted">{t("signals.strategyLine", { tfs: s.timeframes.join(", "), min: s.min_r, max: s.max_r, bars: s.valid_bars })}</p>
        </li>
      ))}
    </ul>
  );
}

/** The pre-trade validator: approve / stand down with its reasoning. */
function Validator({ onSignal }: { onSignal(): void }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const selection = useSelection();
  const [symbol, setSymbol] = useState<string>(selection.symbol);
  const [timeframe, setTimeframe] = useState<Timeframe>(selection.timeframe);
  const [direction, setDirection] = useState<"buy" | "sell">("buy");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [verdict, setVerdict] = useState<Verdict>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setVerdict(undefined);
    try {
      const v = await api.post<Verdict>("/signals/validate", { symbol, timeframe, direction });
      setVerdict(v);
      if (v.signal) onSignal();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const approved = verdict?.verdict === "approve";
  return (
    <Card title={t("validator.title")}>
      <p className="mb-3 text-sm text-muted">{t("validator.intro")}</p>
      <form aria-label={t("validator.title")} onSubmit={submit} className="flex flex-wrap items-end gap-4">
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">{t("validator.symbol")}</span>
          <select value={symbol} onChange={(e) => setSymbol(e.target.value)} className="min-h-10 rounded-md border border-line bg-surface px-2">
            {SYMBOLS.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">{t("validator.timeframe")}</span>
          <select value={timeframe} onChange={(e) => setTimeframe(e.target.value as Timeframe)} className="min-h-10 rounded-md border border-line bg-surface px-2">
            {TIMEFRAMES.map((tf) => <option key={tf} value={tf}>{tf}</option>)}
          </select>
        </label>
        <fieldset className="flex gap-3 text-sm">
          <legend className="mb-1 font-medium">{t("validator.direction")}</legend>
          {(["buy", "sell"] as const).map((d) => (
            <label key={d} className="inline-flex min-h-10 items-center gap-1">
              <input type="radio" name="validator-direction" value={d} checked={direction === d} onChange={() => setDirection(d)} />
              {t(`signals.dir.${d}`)}
            </label>
          ))}
        </fieldset>
        <Button type="submit" busy={busy}>{t("validator.submit")}</Button>
      </form>
      <div role="status" className="mt-3">
        {verdict && (
          <div className={`rounded-md border p-3 text-sm ${approved ? "border-good/50 bg-good/10" : "border-warn/50 bg-warn/10"}`}>
            <p className="flex items-center gap-2 font-semibold">
              <Badge tone={approved ? "good" : "warn"}>{t(approved ? "validator.approve" : "validator.standDown")}</Badge>
              <span>{symbol} {timeframe} {t(`signals.dir.${direction}`)}</span>
            </p>
            <p className="mt-1">{verdict.reasoning}</p>
            {verdict.signal && (
              <p className="mt-1 text-muted">
                {t("validator.signalUntil", { time: new Date(verdict.signal.valid_until).toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" }) })}
              </p>
            )}
            {verdict.signal && <Indicators value={verdict.signal.indicators} />}
          </div>
        )}
      </div>
      <Refused error={error} />
    </Card>
  );
}
