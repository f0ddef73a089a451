// How a live tick moves the chart: the same rule as the server's candle aggregator
// (modules/psydge/market/candles.go): bars are built from the bid, and a bar opens at its
// timeframe's UTC boundary (H4 at 00, 04, 08 … UTC, D1 at UTC midnight).
import type { Bar, Position, Trade } from "../types";
import type { Timeframe } from "./selection";

export const TIMEFRAME_SECONDS: Record<Timeframe, number> = {
  M1: 60,
  M5: 5 * 60,
  M15: 15 * 60,
  M30: 30 * 60,
  H1: 60 * 60,
  H4: 4 * 60 * 60,
  D1: 24 * 60 * 60,
};

/** The open time (UTC seconds) of the bar of timeframe tf that holds time tSec. */
export function bucketStart(tSec: number, tf: Timeframe): number {
  const d = TIMEFRAME_SECONDS[tf];
  return Math.floor(tSec / d) * d;
}

/**
 * Applies one tick (price at server time tSec) to the last bar of a series:
 * - within the last bar's period it moves that bar's high, low and close (`update`);
 * - past the period's end it starts a new bar at the boundary the tick falls in (`new`);
 * - before the last bar (a late tick) it changes nothing (`stale`), since a chart cannot
 *   rewrite history it has already drawn.
 * With no bar yet the tick starts one.
 */
export function applyTick(last: Bar | undefined, price: number, tSec: number, tf: Timeframe):
  { kind: "update" | "new"; bar: Bar } | { kind: "stale" } {
  const start = bucketStart(tSec, tf);
  if (!last || start > last.time) return { kind: "new", bar: { time: start, open: price, high: price, low: price, close: price } };
  if (start < last.time) return { kind: "stale" };
  return { kind: "update", bar: { time: last.time, open: last.open, high: Math.max(last.high, price), low: Math.min(last.low, price), close: price } };
}

/** A horizontal line on the chart for an open position. */
export interface PriceLine {
  kind: "entry" | "stop" | "target";
  price: number;
  /** Which position or trade it belongs to, so two positions' lines can be told apart. */
  ref: string;
}

/**
 * The entry, stop and take-profit of every open position on symbol. The broker's positions
 * come first (they carry a stop moved since the order); an open trade the broker has not
 * reported yet is drawn from the trade's own points.
 */
export function positionLines(symbol: string, positions: Position[], trades: Trade[]): PriceLine[] {
  const out: PriceLine[] = [];
  const seen = new Set<string>();
  for (const p of positions) {
    if (p.symbol !== symbol) continue;
    if (p.clientId) seen.add(p.clientId);
    out.push({ kind: "entry", price: p.openPrice, ref: p.id });
    if (p.stopLoss) out.push({ kind: "stop", price: p.stopLoss, ref: p.id });
    if (p.takeProfit) out.push({ kind: "target", price: p.takeProfit, ref: p.id });
  }
  for (const t of trades) {
    if (t.symbol !== symbol || t.status !== "open" || seen.has(t.client_id)) continue;
    const scale = 10 ** t.digits;
    const ref = `trade-${t.id}`;
    if (t.entry_points) out.push({ kind: "entry", price: t.entry_points / scale, ref });
    if (t.sl_points) out.push({ kind: "stop", price: t.sl_points / scale, ref });
    if (t.tp_points) out.push({ kind: "target", price: t.tp_points / scale, ref });
  }
  return out;
}

/** Price digits of the platform's symbols (the paper broker's specifications). */
const DIGITS: Record<string, number> = {
  USDJPY: 3, EURJPY: 3, GBPJPY: 3, XAUUSD: 2, US30: 1, US500: 1, NAS100: 1, DE40: 1, UK100: 1,
};

/**
 * The digits a symbol's prices are shown with. The API has no symbol specification endpoint,
 * so this is the paper broker's table, and otherwise the most decimals the quote itself has
 * (at least the 5 of an FX pair, whose last digit JSON may have dropped as a trailing zero).
 */
export function priceDigits(symbol: string, ...prices: number[]): number {
  const known = DIGITS[symbol];
  if (known !== undefined) return known;
  let seen = 0;
  for (const p of prices) {
    const s = String(p);
    const dot = s.indexOf(".");
    if (dot >= 0 && !s.includes("e")) seen = Math.max(seen, s.length - dot - 1);
  }
  return Math.min(8, Math.max(seen, /^[A-Z]{6}$/.test(symbol) ? 5 : 2));
}

/** The spread in points (the last price digit), rounded: 1.08524 / 1.08532 → 8. */
export function spreadPoints(bid: number, ask: number, digits: number): number {
  return Math.round((ask - bid) * 10 ** digits);
}
