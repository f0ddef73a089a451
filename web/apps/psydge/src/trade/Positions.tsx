// Open trades with live P/L in money and in R, closing, and moving the stop — only in the
// tightening direction (up for a buy, down for a sell); the server's STOP_WIDENED refusal is
// still shown should one get through.
import { useEffect, useId, useState } from "react";
import { ApiError, Button, ProblemAlert, formatMoney } from "@alorig/ui";
import { api } from "../api";
import { useT } from "../i18n";
import { useLive, type Quote } from "../live/store";
import type { Position, SymbolSpec, Trade } from "../types";
import { accountInfo } from "./account";
import { conversionRate, exitPrice, formatLots, formatPrice, fromPoints, parseDecimal, parseDirection, profitMinor, rMultiple, stopMove } from "./arithmetic";
import { useSpecs } from "./specs";

export interface LivePL {
  /** Profit in account minor units (negative is a loss). */
  money?: number;
  r?: number;
  price?: number;
}

/** A trade's P/L now: from the live quote and the symbol's specification, else the broker's figure. */
export function livePL(tr: Trade, quote: Pick<Quote, "bid" | "ask"> | undefined, spec: Pick<SymbolSpec, "contractSize" | "profitCurrency"> | undefined,
  prices: Record<string, Quote | undefined>, accountCurrency: string | undefined, position?: Position): LivePL {
  const dir = parseDirection(tr.direction) ?? "buy";
  const entry = fromPoints(tr.entry_points, tr.digits);
  const initial = fromPoints(tr.initial_sl_points, tr.digits);
  const price = quote ? exitPrice(dir, quote) : position?.currentPrice;
  if (price === undefined) return { money: position?.profit };
  const r = rMultiple(dir, entry, initial, price);
  let money: number | undefined = position?.profit;
  const cur = accountCurrency ?? tr.currency;
  if (spec) {
    const rate = conversionRate(spec.profitCurrency, cur, prices);
    if (rate !== undefined) money = profitMinor(dir, entry, price, tr.lot_hundredths / 100, spec, rate, cur);
  }
  return { money, r, price };
}

export function Positions() {
  const t = useT();
  const trades = useLive((s) => s.trades);
  const positions = useLive((s) => s.positions);
  const prices = useLive((s) => s.prices);
  const account = accountInfo(useLive((s) => s.account));
  const specs = useSpecs((s) => s.specs);
  const loadSpec = useSpecs((s) => s.load);
  const open = Object.values(trades).filter((x) => x.status === "open" || x.status === "pending" || x.status === "unknown").sort((a, b) => a.id - b.id);
  const symbols = [...new Set(open.map((x) => x.symbol))].join(",");
  useEffect(() => {
    for (const s of symbols.split(",")) if (s) void loadSpec(s);
  }, [symbols, loadSpec]);
  const id = useId();

  return (
    <section aria-labelledby={id} className="rounded-lg border border-line bg-surface p-4">
      <h2 id={id} className="mb-2 text-base font-semibold">{t("trade.positions")}</h2>
      <div className="overflow-x-auto">
        <table aria-label={t("trade.positions")} className="w-full text-sm">
          <thead className="text-start text-xs text-muted">
            <tr>
              <th scope="col" className="p-1 text-start">{t("trade.col.trade")}</th>
              <th scope="col" className="p-1 text-start">{t("trade.col.side")}</th>
              <th scope="col" className="p-1 text-end">{t("trade.col.entry")}</th>
              <th scope="col" className="p-1 text-end">{t("trade.col.price")}</th>
              <th scope="col" className="p-1 text-end">{t("trade.col.pl")}</th>
              <th scope="col" className="p-1 text-end">{t("trade.col.r")}</th>
              <th scope="col" className="p-1 text-start">{t("trade.col.stop")}</th>
              <th scope="col" className="p-1"><span className="sr-only">{t("trade.col.actions")}</span></th>
            </tr>
          </thead>
          <tbody>
            {open.map((tr) => (
              <Row key={tr.id} trade={tr} quote={prices[tr.symbol]} spec={specs[tr.symbol]} prices={prices} currency={account?.currency}
                position={positions.find((p) => (tr.position_id && p.id === tr.position_id) || p.clientId === tr.client_id)} />
            ))}
          </tbody>
        </table>
      </div>
      {open.length === 0 && <p className="text-sm text-muted">{t("trade.noPositions")}</p>}
    </section>
  );
}

function Row({ trade: tr, quote, spec, prices, currency, position }:
  { trade: Trade; quote?: Quote; spec?: SymbolSpec; prices: Record<string, Quote>; currency?: string; position?: Position }) {
  const t = useT();
  const dir = parseDirection(tr.direction) ?? "buy";
  const pl = livePL(tr, quote, spec, prices, currency, position);
  const stop = fromPoints(tr.sl_points, tr.digits);
  const [stopText, setStopText] = useState("");
  const [refusal, setRefusal] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState<"close" | "move">();
  const cur = currency ?? tr.currency;
  const isOpen = tr.status === "open";

  async function close() {
    setBusy("close");
    setError(undefined);
    try {
      const closed = await api.post<Trade>(`/trades/${tr.id}/close`);
      useLive.setState((s) => ({ trades: { ...s.trades, [closed.id]: closed } }));
      void useLive.getState().refresh();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(undefined);
    }
  }

  async function move() {
    setRefusal(undefined);
    setError(undefined);
    const next = parseDecimal(stopText);
    if (next === undefined || next <= 0) return setRefusal(t("trade.priceInvalid"));
    if (Number(next.toFixed(tr.digits)) !== next) return setRefusal(t("trade.tooManyDigits", { digits: tr.digits }));
    const m = stopMove(dir, stop, next, pl.price);
    if (!m.ok) return setRefusal(t(`trade.stopMove.${m.reason}.${dir}`, { stop: formatPrice(stop, tr.digits) }));
    setBusy("move");
    try {
      const moved = await api.patch<Trade>(`/trades/${tr.id}`, { stop_loss: next });
      useLive.setState((s) => ({ trades: { ...s.trades, [moved.id]: moved } }));
      setStopText("");
    } catch (e) {
      setError(e);
    } finally {
      setBusy(undefined);
    }
  }

  const tone = (v?: number) => (v === undefined ? "" : v > 0 ? "text-good" : v < 0 ? "text-bad" : "");
  return (
    <>
      <tr className="border-t border-line align-top">
        <td className="p-1">#{tr.id} <span className="font-semibold">{tr.symbol}</span> <span className="text-xs text-muted">{tr.timeframe}</span></td>
        <td className="p-1">{t(dir === "buy" ? "trade.buy" : "trade.sell")} {formatLots(tr.lot_hundredths / 100)}{!isOpen && <span className="ms-1 text-xs text-warn">{tr.status}</span>}</td>
        <td className="p-1 text-end tabular-nums">{formatPrice(fromPoints(tr.entry_points, tr.digits), tr.digits)}</td>
        <td className="p-1 text-end tabular-nums">{pl.price !== undefined ? formatPrice(pl.price, tr.digits) : "–"}</td>
        <td className={`p-1 text-end tabular-nums ${tone(pl.money)}`} data-pl-minor={pl.money}>{pl.money !== undefined ? formatMoney(pl.money, cur, undefined, { signed: true }) : "–"}</td>
        <td className={`p-1 text-end tabular-nums ${tone(pl.r)}`} data-r={pl.r?.toFixed(3)}>{pl.r !== undefined ? `${pl.r > 0 ? "+" : ""}${pl.r.toFixed(2)}R` : "–"}</td>
        <td className="p-1">
          <form className="flex items-center gap-1" onSubmit={(e) => { e.preventDefault(); void move(); }}>
            <span className="tabular-nums">{formatPrice(stop, tr.digits)}</span>
            <input aria-label={t("trade.newStopFor", { id: tr.id })} inputMode="decimal" autoComplete="off" value={stopText} placeholder={formatPrice(stop, tr.digits)}
              onChange={(e) => setStopText(e.target.value)} disabled={!isOpen}
              className="min-h-9 w-24 rounded-md border border-line bg-surface px-2" />
            <Button type="submit" variant="secondary" className="min-h-9 px-2" disabled={!isOpen || !stopText.trim()} busy={busy === "move"}>{t("trade.moveStop")}</Button>
          </form>
        </td>
        <td className="p-1 text-end">
          <Button variant="danger" className="min-h-9 px-2" onClick={() => void close()} disabled={!isOpen} busy={busy === "close"}
            aria-label={t("trade.closeTrade", { id: tr.id })}>{t("trade.close")}</Button>
        </td>
      </tr>
      {(refusal || error !== undefined) && (
        <tr>
          <td colSpan={8} className="p-1">
            {refusal && <p role="alert" className="text-sm text-bad">{refusal}</p>}
            {error !== undefined && <CodedProblem error={error} />}
          </td>
        </tr>
      )}
    </>
  );
}

/** A refusal with its stable code (STOP_WIDENED, TRADE_NOT_OPEN …) and level, when it has them. */
function CodedProblem({ error }: { error: unknown }) {
  const t = useT();
  return (
    <div>
      <ProblemAlert error={error} />
      {error instanceof ApiError && (
        <p className="mt-1 text-xs text-muted"><code>{error.code}</code>{typeof error.body.level === "string" && ` · ${t("trade.level", { level: error.body.level })}`}</p>
      )}
    </div>
  );
}
