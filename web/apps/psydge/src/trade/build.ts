// Turns the ticket as typed into the request the check and the placement send, with the
// figures the form shows beside it.
import {
  conversionRate, entryPrice, formatLots, parseDecimal, pipsFromStop, pipSize, riskMinor, riskPct, roundPrice,
  stopFromPips, volumeForRisk, type Direction,
} from "./arithmetic";
import type { Quote } from "../live/store";
import type { SymbolSpec, TicketRequest } from "../types";
import type { TicketFields } from "./ticketStore";

export interface Built {
  request?: TicketRequest;
  /** The stop as a price (from the price typed, or from pips and the live entry). */
  stopPrice?: number;
  /** The stop's distance in pips. */
  stopPips?: number;
  pip?: number;
  entry?: number;
  /** The computed side of volume ↔ risk %. */
  volume?: number;
  riskPct?: number;
  riskMinor?: number;
  /** Why no request can be built yet: message keys by field. */
  problems: { field: "stop" | "takeProfit" | "risk" | "volume" | "ticket"; key: string; vars?: Record<string, string | number> }[];
}

export interface BuildInput {
  fields: TicketFields;
  symbol: string;
  timeframe: TicketRequest["timeframe"];
  spec?: SymbolSpec;
  quote?: Pick<Quote, "bid" | "ask">;
  prices: Record<string, Quote | undefined>;
  equityMinor?: number;
  currency?: string;
}

export function buildTicket(i: BuildInput): Built {
  const out: Built = { problems: [] };
  const { fields: f, spec, quote } = i;
  if (!spec) {
    out.problems.push({ field: "ticket", key: "trade.noSpec" });
    return out;
  }
  const dir: Direction = f.direction;
  out.pip = pipSize(spec);
  if (quote) out.entry = entryPrice(dir, quote);

  const stopNum = parseDecimal(f.stopText);
  if (f.stopText.trim() === "") out.problems.push({ field: "stop", key: "trade.stopRequired" });
  else if (stopNum === undefined || stopNum <= 0) out.problems.push({ field: "stop", key: f.stopInPips ? "trade.pipsInvalid" : "trade.priceInvalid" });
  else if (f.stopInPips) {
    out.stopPips = stopNum;
    if (out.entry !== undefined) out.stopPrice = stopFromPips(dir, out.entry, stopNum, spec);
    else out.problems.push({ field: "ticket", key: "trade.noQuote" });
  } else {
    out.stopPrice = roundPrice(stopNum, spec.digits);
    if (out.stopPrice !== stopNum) out.problems.push({ field: "stop", key: "trade.tooManyDigits", vars: { digits: spec.digits } });
    if (out.entry !== undefined) out.stopPips = pipsFromStop(dir, out.entry, out.stopPrice, spec);
  }

  let tp: number | undefined;
  if (f.takeProfitText.trim() !== "") {
    tp = parseDecimal(f.takeProfitText);
    if (tp === undefined || tp <= 0) out.problems.push({ field: "takeProfit", key: "trade.priceInvalid" });
    else if (roundPrice(tp, spec.digits) !== tp) out.problems.push({ field: "takeProfit", key: "trade.tooManyDigits", vars: { digits: spec.digits } });
  }

  const currency = i.currency;
  const rate = currency ? conversionRate(spec.profitCurrency, currency, i.prices) : undefined;
  const distance = out.entry !== undefined && out.stopPrice !== undefined ? (dir === "buy" ? out.entry - out.stopPrice : out.stopPrice - out.entry) : undefined;
  const canPrice = distance !== undefined && distance > 0 && rate !== undefined && currency !== undefined && (i.equityMinor ?? 0) > 0;

  let volume: number | undefined;
  if (f.sizeFrom === "risk") {
    const pct = parseDecimal(f.riskText);
    if (pct === undefined || pct <= 0) out.problems.push({ field: "risk", key: "trade.riskInvalid" });
    else if (!canPrice) {
      if (distance !== undefined && distance <= 0) out.problems.push({ field: "stop", key: "trade.stopWrongSide" });
      else if (rate === undefined && currency) out.problems.push({ field: "volume", key: "trade.noRate", vars: { from: spec.profitCurrency, to: currency } });
      else if (out.stopPrice !== undefined) out.problems.push({ field: "volume", key: "trade.noEquity" });
    } else {
      const v = volumeForRisk(spec, distance, pct, i.equityMinor!, rate, currency);
      if ("problem" in v) out.problems.push({ field: "risk", key: "trade.belowMinimum", vars: { lots: formatLots(v.lots ?? spec.minVolume) } });
      else volume = v.lots;
    }
    out.volume = volume;
  } else {
    const v = parseDecimal(f.volumeText);
    if (f.volumeText.trim() === "") out.problems.push({ field: "volume", key: "trade.volumeRequired" });
    else if (v === undefined || v <= 0 || Math.abs(Math.round(v * 100) - v * 100) > 1e-9) out.problems.push({ field: "volume", key: "trade.volumeInvalid" });
    else volume = v;
  }
  if (volume !== undefined && canPrice) {
    out.riskMinor = riskMinor(spec, distance, volume, rate, currency);
    out.riskPct = riskPct(out.riskMinor, i.equityMinor!);
  }

  if (out.stopPrice !== undefined && volume !== undefined && out.problems.length === 0) {
    out.request = {
      symbol: i.symbol, timeframe: i.timeframe, direction: dir, volume: Number(formatLots(volume)), stop_loss: out.stopPrice,
      ...(tp !== undefined ? { take_profit: tp } : {}),
    };
  }
  return out;
}
