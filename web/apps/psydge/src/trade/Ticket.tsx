// The order ticket and the six gates beside it. What the trader types is turned into the
// request (build.ts), checked live against the gates (useCheck), and placed exactly as checked
// with the ticket's Idempotency-Key.
import { useId, useRef, useState } from "react";
import { ApiError, Badge, Button, ProblemAlert, fieldError, formatMoney } from "@alorig/ui";
import { api } from "../api";
import { useT } from "../i18n";
import { SYMBOLS, useLive } from "../live/store";
import { TIMEFRAMES, useSelection, type Timeframe } from "../market/selection";
import type { CheckResult, GateResult, Refusal, Trade, Verdict } from "../types";
import { accountInfo } from "./account";
import { formatLots, formatPrice, lossPerLotMinor, conversionRate } from "./arithmetic";
import { buildTicket, type Built } from "./build";
import { useSpec, useSpecs } from "./specs";
import { useTicket, type TicketFields } from "./ticketStore";
import { useCheck } from "./useCheck";

type Outcome =
  | { kind: "placed"; trade: Trade; pending: boolean }
  | { kind: "refused"; refusal: Refusal }
  | { kind: "rejected"; trade: Trade }
  | { kind: "error"; error: unknown };

/** Reads a placement's answer: which outcomes are final (the key is spent) and which are not. */
export function placementOutcome(e: unknown): { outcome: Outcome; final: boolean } {
  if (e instanceof ApiError) {
    const b = e.body;
    if (e.status === 403 && Array.isArray(b.gates)) return { outcome: { kind: "refused", refusal: b as unknown as Refusal }, final: true };
    if (e.status === 502 && typeof b.id === "number" && typeof b.status === "string") return { outcome: { kind: "rejected", trade: b as unknown as Trade }, final: true };
  }
  // A problem (422, 409 in progress, 503) or no answer at all: the key was freed or its first
  // request is still running, so a retry must carry the same key.
  return { outcome: { kind: "error", error: e }, final: false };
}

/** The ticket's request as the stores hold it now: what a check sends at the moment it runs. */
function requestNow() {
  const sel = useSelection.getState();
  const live = useLive.getState();
  const account = accountInfo(live.account);
  return buildTicket({
    fields: useTicket.getState(), symbol: sel.symbol, timeframe: sel.timeframe, spec: useSpecs.getState().specs[sel.symbol],
    quote: live.prices[sel.symbol], prices: live.prices, equityMinor: account?.equity, currency: account?.currency,
  }).request;
}

export function Ticket() {
  const t = useT();
  const id = useId();
  const symbol = useSelection((s) => s.symbol);
  const timeframe = useSelection((s) => s.timeframe);
  const setSymbol = useSelection((s) => s.setSymbol);
  const setTimeframe = useSelection((s) => s.setTimeframe);
  const ticket = useTicket();
  const fields: TicketFields = {
    direction: ticket.direction, stopText: ticket.stopText, stopInPips: ticket.stopInPips, takeProfitText: ticket.takeProfitText,
    riskText: ticket.riskText, volumeText: ticket.volumeText, sizeFrom: ticket.sizeFrom,
  };
  const { spec, error: specError } = useSpec(symbol);
  const prices = useLive((s) => s.prices);
  const account = accountInfo(useLive((s) => s.account));
  const gate = useLive((s) => s.gate);
  const quote = prices[symbol];

  const built = buildTicket({
    fields, symbol, timeframe, spec, quote, prices, equityMinor: account?.equity, currency: account?.currency,
  });

  // The check runs again when the ticket as typed changes, when the specification or the
  // account arrives, and when the gate status changes (a signal, a cooldown ending): each of
  // these makes the last answer stale. The periodic re-check (moving prices) does not.
  const gateState = gate ? JSON.stringify({ ...gate, now: undefined }) : "";
  const key = JSON.stringify([fields, symbol, timeframe, !!spec, account?.currency, account ? account.equity > 0 : false, !!quote, gateState]);
  const check = useCheck(key, requestNow);

  const [submitting, setSubmitting] = useState(false);
  const submittingRef = useRef(false);
  const [outcome, setOutcome] = useState<Outcome>();
  const [verdict, setVerdict] = useState<{ verdict?: Verdict; error?: unknown; busy: boolean }>({ busy: false });

  const result: CheckResult | undefined = check.result;
  const gatesFail = !result || !result.allowed || result.gates.some((g) => !g.passed);
  // A check of changed inputs in flight is `stale`; a periodic re-check of the same ticket
  // leaves the last answer standing until the new one arrives (no flicker every few seconds).
  const placeDisabled = submitting || check.stale || !check.request || gatesFail;

  async function place() {
    // One order per ticket: the guard is synchronous, so a second click in the same frame
    // finds it set before React has re-rendered the disabled button.
    if (submittingRef.current || placeDisabled || !check.request) return;
    submittingRef.current = true;
    setSubmitting(true);
    setOutcome(undefined);
    const key = useTicket.getState().idempotencyKey;
    try {
      const trade = await api.post<Trade>("/trades", check.request, { headers: { "Idempotency-Key": key } });
      setOutcome({ kind: "placed", trade, pending: trade.status !== "open" });
      useTicket.getState().reset();
      void useLive.getState().refresh();
    } catch (e) {
      const { outcome, final } = placementOutcome(e);
      setOutcome(outcome);
      if (final) useTicket.getState().renewKey();
      if (outcome.kind === "refused") void useLive.getState().refresh();
    } finally {
      submittingRef.current = false;
      setSubmitting(false);
      check.recheck();
    }
  }

  async function validate() {
    setVerdict({ busy: true });
    try {
      const v = await api.post<Verdict>("/signals/validate", { symbol, timeframe, direction: ticket.direction });
      setVerdict({ verdict: v, busy: false });
    } catch (e) {
      setVerdict({ error: e, busy: false });
    } finally {
      check.recheck();
    }
  }

  const problem = (field: Built["problems"][number]["field"]) => {
    const p = built.problems.find((x) => x.field === field);
    return p ? t(p.key, p.vars) : undefined;
  };
  const checkErr = check.error;
  const stopLabel = ticket.stopInPips ? t("trade.stopPips") : t("trade.stopLoss");
  const digits = spec?.digits ?? 5;
  const currency = account?.currency ?? result?.currency ?? "USD";

  // Shown while the computed side is the trader's other field.
  const shownVolume = ticket.sizeFrom === "volume" ? ticket.volumeText : check.request && !check.stale ? formatLots(check.request.volume) : built.volume !== undefined ? formatLots(built.volume) : "";
  const shownRisk = ticket.sizeFrom === "risk" ? ticket.riskText : built.riskPct !== undefined ? built.riskPct.toFixed(2) : "";
  const rate = spec && account ? conversionRate(spec.profitCurrency, account.currency, prices) : undefined;
  const pipValue = spec && built.pip && rate !== undefined && account ? lossPerLotMinor(spec, built.pip, rate, account.currency) : undefined;

  return (
    <div className="grid items-start gap-4 md:grid-cols-2">
      <form
        aria-label={t("trade.ticket")}
        className="flex flex-col gap-3 rounded-lg border border-line bg-surface p-4"
        onSubmit={(e) => {
          e.preventDefault();
          void place();
        }}
      >
        <h2 className="text-base font-semibold" aria-hidden="true">{t("trade.ticket")}</h2>
        <div className="grid grid-cols-2 gap-3">
          <Select id={`${id}-sym`} label={t("trade.symbol")} value={symbol} options={[...SYMBOLS]} onChange={(v) => setSymbol(v)} />
          <Select id={`${id}-tf`} label={t("trade.timeframe")} value={timeframe} options={[...TIMEFRAMES]} onChange={(v) => setTimeframe(v as Timeframe)} />
        </div>
        <fieldset className="flex flex-col gap-1">
          <legend className="text-sm font-medium">{t("trade.direction")}</legend>
          <div className="grid grid-cols-2 gap-2">
            {(["buy", "sell"] as const).map((d) => (
              <label key={d} className={`flex min-h-10 cursor-pointer items-center justify-center gap-2 rounded-md border px-3 py-2 text-sm font-semibold has-[:checked]:text-white has-[:focus-visible]:ring-2 ${d === "buy" ? "border-good/60 has-[:checked]:bg-good" : "border-bad/60 has-[:checked]:bg-bad"}`}>
                <input type="radio" name="direction" value={d} checked={ticket.direction === d} onChange={() => ticket.update({ direction: d })} className="sr-only" />
                {t(d === "buy" ? "trade.buy" : "trade.sell")}
              </label>
            ))}
          </div>
        </fieldset>

        <div className="flex flex-col gap-1">
          <div className="flex items-center justify-between gap-2">
            <label htmlFor={`${id}-stop`} className="text-sm font-medium">{stopLabel}</label>
            <label className="flex items-center gap-1 text-xs">
              <input type="checkbox" checked={ticket.stopInPips} onChange={(e) => switchStopMode(e.target.checked, built, digits)} />
              {t("trade.stopInPips")}
            </label>
          </div>
          <input
            id={`${id}-stop`}
            inputMode="decimal"
            autoComplete="off"
            value={ticket.stopText}
            onChange={(e) => ticket.update({ stopText: e.target.value })}
            aria-invalid={problem("stop") || fieldError(checkErr, "stop_loss") ? true : undefined}
            aria-describedby={`${id}-stop-hint`}
            className="min-h-10 rounded-md border border-line bg-surface px-3 py-2 aria-[invalid=true]:border-bad"
          />
          <p id={`${id}-stop-hint`} className="text-xs text-muted">
            {problem("stop") ?? fieldError(checkErr, "stop_loss") ??
              (built.pip !== undefined
                ? [
                  ticket.stopInPips && built.stopPrice !== undefined ? t("trade.stopAt", { price: formatPrice(built.stopPrice, digits) }) : undefined,
                  !ticket.stopInPips && built.stopPips !== undefined ? t("trade.stopPipsAway", { pips: built.stopPips.toFixed(1) }) : undefined,
                  t("trade.pipIs", { pip: formatPrice(built.pip, Math.max(0, -Math.floor(Math.log10(built.pip)))) }),
                ].filter(Boolean).join(" · ")
                : "")}
          </p>
        </div>

        <TextField id={`${id}-tp`} label={t("trade.takeProfit")} value={ticket.takeProfitText} onChange={(v) => ticket.update({ takeProfitText: v })}
          hint={problem("takeProfit") ?? fieldError(checkErr, "take_profit") ?? t("trade.optional")} invalid={!!(problem("takeProfit") ?? fieldError(checkErr, "take_profit"))} />

        <div className="grid grid-cols-2 gap-3">
          <TextField id={`${id}-risk`} label={t("trade.riskPct")} value={shownRisk} onChange={(v) => ticket.update({ riskText: v, sizeFrom: "risk" })}
            hint={problem("risk") ?? (ticket.sizeFrom === "volume" ? t("trade.computed") : t("trade.ofEquity"))} invalid={!!problem("risk")} computed={ticket.sizeFrom === "volume"} />
          <TextField id={`${id}-vol`} label={t("trade.volume")} value={shownVolume} onChange={(v) => ticket.update({ volumeText: v, sizeFrom: "volume" })}
            hint={problem("volume") ?? fieldError(checkErr, "volume") ?? (ticket.sizeFrom === "risk" ? t("trade.computed") : spec ? t("trade.lotSteps", { step: formatLots(spec.volumeStep), min: formatLots(spec.minVolume), max: formatLots(spec.maxVolume) }) : "")}
            invalid={!!(problem("volume") ?? fieldError(checkErr, "volume"))} computed={ticket.sizeFrom === "risk"} />
        </div>

        {problem("ticket") && <p className="text-sm text-warn">{problem("ticket")}</p>}
        {specError !== undefined && <ProblemAlert error={specError} />}

        <ServerArithmetic result={check.stale ? undefined : result} request={check.stale ? undefined : check.request} digits={digits}
          pipValue={pipValue} currency={currency} clientRisk={built.riskMinor} />

        {checkErr !== undefined && !(checkErr instanceof ApiError && checkErr.fields.length > 0 && checkErr.fields.every((f) => ["stop_loss", "take_profit", "volume"].includes(f.field))) && (
          <ProblemAlert error={checkErr} />
        )}

        <div className="flex flex-wrap gap-2">
          <Button variant="secondary" onClick={() => void validate()} busy={verdict.busy}>{t("trade.validate")}</Button>
          <Button type="submit" className="flex-1" disabled={placeDisabled} busy={submitting}
            aria-describedby={`${id}-place-why`}>
            {t("trade.place")}
          </Button>
        </div>
        <p id={`${id}-place-why`} className="text-xs text-muted">
          {submitting ? t("trade.placing") : check.stale ? t("trade.checking") : !check.request ? t("trade.completeTicket") : gatesFail ? t("trade.gatesFail") : t("trade.ready")}
        </p>

        <VerdictView verdict={verdict.verdict} error={verdict.error} />
        <OutcomeView outcome={outcome} />
      </form>

      <Gates gates={check.last?.gates} checking={check.stale} />
    </div>
  );

  function switchStopMode(toPips: boolean, b: Built, d: number) {
    // Carries the stop over: the same distance in the other unit.
    let stopText = ticket.stopText;
    if (toPips && b.stopPips !== undefined && b.stopPips > 0) stopText = String(b.stopPips);
    else if (!toPips && b.stopPrice !== undefined) stopText = formatPrice(b.stopPrice, d);
    ticket.update({ stopInPips: toPips, stopText });
  }
}

function Select({ id, label, value, options, onChange }: { id: string; label: string; value: string; options: string[]; onChange(v: string): void }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} className="min-h-10 rounded-md border border-line bg-surface px-2">
        {options.map((o) => <option key={o} value={o}>{o}</option>)}
      </select>
    </div>
  );
}

function TextField({ id, label, value, onChange, hint, invalid, computed }:
  { id: string; label: string; value: string; onChange(v: string): void; hint?: string; invalid?: boolean; computed?: boolean }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">{label}</label>
      <input id={id} inputMode="decimal" autoComplete="off" value={value} onChange={(e) => onChange(e.target.value)}
        aria-invalid={invalid || undefined} aria-describedby={hint ? `${id}-hint` : undefined}
        className={`min-h-10 rounded-md border border-line px-3 py-2 aria-[invalid=true]:border-bad ${computed ? "bg-raised text-muted" : "bg-surface"}`} />
      {hint && <p id={`${id}-hint`} className={`text-xs ${invalid ? "text-bad" : "text-muted"}`}>{hint}</p>}
    </div>
  );
}

/** The server's figures for the checked request: the authority over the form's own. */
function ServerArithmetic({ result, request, digits, pipValue, currency, clientRisk }:
  { result?: CheckResult; request?: { volume: number; stop_loss: number }; digits: number; pipValue?: number; currency: string; clientRisk?: number }) {
  const t = useT();
  return (
    <div role="status" aria-live="polite" className="rounded-md border border-line bg-raised p-3 text-sm">
      {result && request ? (
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
          <dt className="text-muted">{t("trade.srvVolume")}</dt><dd>{formatLots(request.volume)}</dd>
          <dt className="text-muted">{t("trade.srvStop")}</dt><dd>{formatPrice(request.stop_loss, digits)}</dd>
          <dt className="text-muted">{t("trade.srvEntry")}</dt><dd>{formatPrice(result.entry_price, digits)}</dd>
          <dt className="text-muted">{t("trade.srvRisk")}</dt>
          <dd>
            <strong>{formatMoney(result.risk_minor, result.currency)}</strong> · {t("trade.pctOfEquity", { pct: result.risk_pct.toFixed(2) })} · 1R
          </dd>
          {pipValue !== undefined && (
            <>
              <dt className="text-muted">{t("trade.pipValue")}</dt>
              <dd>{formatMoney(Math.round(pipValue * request.volume), currency)}</dd>
            </>
          )}
          {clientRisk !== undefined && Math.abs(clientRisk - result.risk_minor) > Math.max(2, result.risk_minor * 0.01) && (
            <dd className="col-span-2 text-xs text-warn">{t("trade.serverDiffers")}</dd>
          )}
        </dl>
      ) : (
        <p className="text-muted">{t("trade.noFigures")}</p>
      )}
    </div>
  );
}

export function Gates({ gates, checking }: { gates?: GateResult[]; checking: boolean }) {
  const t = useT();
  const id = useId();
  return (
    <section aria-labelledby={id} className="rounded-lg border border-line bg-surface p-4" aria-busy={checking || undefined}>
      <h2 id={id} className="mb-2 text-base font-semibold">{t("trade.gates")}</h2>
      <ul aria-label={t("trade.gates")} className={`flex flex-col gap-2 ${checking ? "opacity-60" : ""}`}>
        {(gates ?? []).map((g) => (
          <li key={g.gate} data-gate={g.gate} data-pass={String(g.passed)}
            className={`flex items-start gap-2 rounded-md border p-2 text-sm ${g.passed ? "border-good/40 bg-good/10" : "border-bad/40 bg-bad/10"}`}>
            <span aria-hidden="true" className={`mt-0.5 font-bold ${g.passed ? "text-good" : "text-bad"}`}>{g.passed ? "✓" : "✗"}</span>
            <span className="flex flex-col">
              <span className="font-semibold">
                {g.gate} · {t(`trade.gate.${g.gate}`)} <span className="sr-only">{g.passed ? t("trade.pass") : t("trade.fail")}</span>
              </span>
              <code className="text-xs">{g.code}</code>
              {g.reason && <span className="text-xs text-muted">{g.reason}</span>}
            </span>
          </li>
        ))}
      </ul>
      {(!gates || checking) && <p className="text-sm text-muted">{checking ? t("trade.checking") : t("trade.noGates")}</p>}
    </section>
  );
}

function VerdictView({ verdict, error }: { verdict?: Verdict; error?: unknown }) {
  const t = useT();
  if (error) return <ProblemAlert error={error} />;
  if (!verdict) return null;
  const ok = verdict.verdict === "approve";
  return (
    <div role="status" className={`rounded-md border p-3 text-sm ${ok ? "border-good/50 bg-good/10" : "border-warn/50 bg-warn/10"}`}>
      <p className="font-semibold"><Badge tone={ok ? "good" : "warn"}>{ok ? t("trade.approve") : t("trade.standDown")}</Badge></p>
      <p className="mt-1">{verdict.reasoning}</p>
    </div>
  );
}

function OutcomeView({ outcome }: { outcome?: Outcome }) {
  const t = useT();
  if (!outcome) return null;
  switch (outcome.kind) {
    case "placed":
      return (
        <p role="status" className="rounded-md border border-good/50 bg-good/10 p-3 text-sm">
          {outcome.pending ? t("trade.pending", { id: outcome.trade.id }) : t("trade.placed", { id: outcome.trade.id })}
        </p>
      );
    case "rejected":
      return (
        <div role="alert" className="rounded-md border border-bad/50 bg-bad/10 p-3 text-sm">
          {t("trade.rejected", { id: outcome.trade.id, code: outcome.trade.broker_code ?? "" })}
        </div>
      );
    case "refused": {
      const r = outcome.refusal;
      const failed = r.gates.filter((g) => !g.passed);
      return (
        <div role="alert" className="rounded-md border border-bad/50 bg-bad/10 p-3 text-sm">
          <p className="font-semibold">{t("trade.refused", { code: r.violation_code, level: r.level })}</p>
          <ul className="mt-1 list-disc ps-5">
            {failed.map((g) => <li key={g.gate}><code>{g.gate} {g.code}</code>: {g.reason}</li>)}
          </ul>
        </div>
      );
    }
    case "error":
      return <ProblemAlert error={outcome.error} />;
  }
}
