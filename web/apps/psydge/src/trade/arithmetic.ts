// The ticket's and the positions' arithmetic, from the broker's symbol specification
// (GET /api/v1/symbols/{symbol}) and the live quotes. It mirrors the engine's rules
// (docs/psydge-discipline.md, "Units"): loss at the stop = distance × contract size × lots ×
// rate, rounded up to the next minor unit; risk share in basis points of equity, rounded up.
// These figures are for convenience while typing; the check's answer is the authority.
import { minorDigits } from "@alorig/ui";
import type { Quote } from "../live/store";
import type { SymbolSpec } from "../types";

export type Direction = "buy" | "sell";

/** A direction as the API writes it in a trade ("BUY", "sell" …), or undefined. */
export function parseDirection(s: string): Direction | undefined {
  const d = s.toLowerCase();
  return d === "buy" || d === "sell" ? d : undefined;
}

/** The minimum price step implied by the symbol's digits. */
export function pointSize(digits: number): number {
  return 10 ** -digits;
}

/**
 * The size of one pip: 0.0001 on EURUSD (5 digits), 0.01 on USDJPY (3 digits), 0.1 on gold
 * (XAUUSD, 2 digits), 0.01 on silver; 10 points on any other 3- or 5-digit quote, one point
 * otherwise (indices, 4- and 2-digit quotes).
 */
export function pipSize(spec: Pick<SymbolSpec, "symbol" | "digits">): number {
  const sym = spec.symbol.toUpperCase();
  if (sym.startsWith("XAU")) return 0.1;
  if (sym.startsWith("XAG")) return 0.01;
  if (/^[A-Z]{6}$/.test(sym)) return sym.endsWith("JPY") ? 0.01 : 0.0001;
  if (spec.digits === 5 || spec.digits === 3) return 10 * pointSize(spec.digits);
  return pointSize(spec.digits);
}

/** Rounds a price to the symbol's digits, exactly as it is sent (a JSON number, no exponent). */
export function roundPrice(price: number, digits: number): number {
  return Number(price.toFixed(digits));
}

export function formatPrice(price: number, digits: number): string {
  return price.toFixed(digits);
}

/** The stop price `pips` away from `entry` on the losing side of the direction. */
export function stopFromPips(dir: Direction, entry: number, pips: number, spec: Pick<SymbolSpec, "symbol" | "digits">): number {
  const d = pips * pipSize(spec);
  return roundPrice(dir === "buy" ? entry - d : entry + d, spec.digits);
}

/** The distance in pips from `entry` to `stop` (positive when the stop is on the losing side). */
export function pipsFromStop(dir: Direction, entry: number, stop: number, spec: Pick<SymbolSpec, "symbol" | "digits">): number {
  const d = dir === "buy" ? entry - stop : stop - entry;
  // Rounded to a tenth of a pip: the price has at most the symbol's digits.
  return Math.round((d / pipSize(spec)) * 10) / 10;
}

/** Account-currency units per one profit-currency unit, from the live quotes, or undefined. */
export function conversionRate(profit: string, account: string, prices: Record<string, Quote | undefined>): number | undefined {
  if (profit === account) return 1;
  const mid = (q?: Quote) => (q && q.bid > 0 && q.ask > 0 ? (q.bid + q.ask) / 2 : undefined);
  const direct = mid(prices[profit + account]);
  if (direct) return direct;
  const inverse = mid(prices[account + profit]);
  return inverse ? 1 / inverse : undefined;
}

/** Loss of 1.00 lot over `distance` (price units) in account minor units, unrounded. */
export function lossPerLotMinor(spec: Pick<SymbolSpec, "contractSize">, distance: number, rate: number, accountCurrency: string): number {
  return distance * spec.contractSize * rate * 10 ** minorDigits(accountCurrency);
}

/** Loss at the stop in account minor units for `lots`, rounded up as the engine rounds it. */
export function riskMinor(spec: Pick<SymbolSpec, "contractSize">, distance: number, lots: number, rate: number, accountCurrency: string): number {
  // Lots are hundredths on the wire; the product is rounded to cancel binary fractions first.
  const exact = Math.round(lossPerLotMinor(spec, distance, rate, accountCurrency) * Math.round(lots * 100) * 1e6) / 1e8;
  return Math.ceil(exact - 1e-9);
}

/** Risk share in percent of equity (basis points rounded up, as the engine does). */
export function riskPct(riskMinorUnits: number, equityMinor: number): number {
  if (equityMinor <= 0) return Infinity;
  return Math.ceil((riskMinorUnits * 10000) / equityMinor - 1e-9) / 100;
}

export type VolumeAnswer = { lots: number } | { problem: "no_distance" | "below_minimum" | "no_equity"; lots?: number };

/**
 * The largest volume, in the symbol's steps and limits, whose loss at the stop is at most
 * `pct` % of equity.
 */
export function volumeForRisk(
  spec: Pick<SymbolSpec, "contractSize" | "minVolume" | "maxVolume" | "volumeStep">,
  distance: number, pct: number, equityMinor: number, rate: number, accountCurrency: string,
): VolumeAnswer {
  if (equityMinor <= 0) return { problem: "no_equity" };
  if (!(distance > 0)) return { problem: "no_distance" };
  const budget = (equityMinor * pct) / 100;
  const perLot = lossPerLotMinor(spec, distance, rate, accountCurrency);
  const step = spec.volumeStep > 0 ? spec.volumeStep : 0.01;
  const stepHundredths = Math.max(1, Math.round(step * 100));
  // In hundredths of a lot, so the steps are integers; a hair of tolerance for binary fractions.
  let hundredths = Math.floor((budget / perLot) * 100 + 1e-9);
  hundredths -= hundredths % stepHundredths;
  // The engine rounds the loss up: step down while the rounded loss is over the budget.
  while (hundredths > 0 && riskPct(riskMinor(spec, distance, hundredths / 100, rate, accountCurrency), equityMinor) > pct) {
    hundredths -= stepHundredths;
  }
  const max = Math.round(spec.maxVolume * 100);
  if (max > 0 && hundredths > max) hundredths = max - (max % stepHundredths);
  const min = Math.round(spec.minVolume * 100);
  if (hundredths < Math.max(min, 1)) return { problem: "below_minimum", lots: Math.max(min, 1) / 100 };
  return { lots: hundredths / 100 };
}

/** Lots as the ticket sends them: two decimals, no exponent. */
export function formatLots(lots: number): string {
  return lots.toFixed(2);
}

/** A trade's result in R from prices: dir × (exit − entry) / (dir × (entry − initial stop)). */
export function rMultiple(dir: Direction, entry: number, initialStop: number, exit: number): number | undefined {
  const s = dir === "buy" ? 1 : -1;
  const risk = s * (entry - initialStop);
  if (!(risk > 0)) return undefined;
  return (s * (exit - entry)) / risk;
}

/** The price a position closes at: the bid for a buy, the ask for a sell. */
export function exitPrice(dir: Direction, q: Pick<Quote, "bid" | "ask">): number {
  return dir === "buy" ? q.bid : q.ask;
}

/** The price a ticket opens at: the ask for a buy, the bid for a sell. */
export function entryPrice(dir: Direction, q: Pick<Quote, "bid" | "ask">): number {
  return dir === "buy" ? q.ask : q.bid;
}

/** Profit in account minor units of `lots` from entry to exit (negative is a loss). */
export function profitMinor(dir: Direction, entry: number, exit: number, lots: number, spec: Pick<SymbolSpec, "contractSize">, rate: number, accountCurrency: string): number {
  const s = dir === "buy" ? 1 : -1;
  return Math.round(s * (exit - entry) * spec.contractSize * lots * rate * 10 ** minorDigits(accountCurrency));
}

export type StopMove = { ok: true } | { ok: false; reason: "widens" | "unchanged" | "wrong_side" };

/**
 * Whether moving a stop from `current` to `next` tightens it: up for a buy, down for a sell
 * (towards the entry or beyond it into profit). It must also stay on the losing side of the
 * market price, or the position would close at once.
 */
export function stopMove(dir: Direction, current: number, next: number, market?: number): StopMove {
  if (next === current) return { ok: false, reason: "unchanged" };
  const tighter = dir === "buy" ? next > current : next < current;
  if (!tighter) return { ok: false, reason: "widens" };
  if (market !== undefined && (dir === "buy" ? next >= market : next <= market)) return { ok: false, reason: "wrong_side" };
  return { ok: true };
}

/** Points (price × 10^digits) to a price. */
export function fromPoints(points: number, digits: number): number {
  return roundPrice(points / 10 ** digits, digits);
}

/** Parses a decimal the trader typed ("1.0832", "0,5"), or undefined. */
export function parseDecimal(text: string): number | undefined {
  const t = text.trim().replace(",", ".");
  if (!/^\d+(\.\d*)?$|^\.\d+$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}
