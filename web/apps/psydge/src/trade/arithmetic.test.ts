import { describe, expect, it } from "vitest";
import {
  conversionRate, pipSize, pipsFromStop, riskMinor, riskPct, rMultiple, stopFromPips, stopMove, volumeForRisk,
} from "./arithmetic";
import { buildTicket } from "./build";
import { emptyTicket } from "./ticketStore";
import { livePL } from "./Positions";
import type { SymbolSpec, Trade } from "../types";

const fx = (symbol: string, digits: number, profit: string): SymbolSpec => ({
  symbol, digits, tickSize: 10 ** -digits, contractSize: 100000, minVolume: 0.01, maxVolume: 100, volumeStep: 0.01,
  baseCurrency: symbol.slice(0, 3), profitCurrency: profit,
});
const EURUSD = fx("EURUSD", 5, "USD");
const USDJPY = fx("USDJPY", 3, "JPY");
const XAUUSD: SymbolSpec = { symbol: "XAUUSD", digits: 2, tickSize: 0.01, contractSize: 100, minVolume: 0.01, maxVolume: 50, volumeStep: 0.01, baseCurrency: "XAU", profitCurrency: "USD" };
const US30: SymbolSpec = { symbol: "US30", digits: 1, tickSize: 0.1, contractSize: 1, minVolume: 0.1, maxVolume: 100, volumeStep: 0.1, baseCurrency: "USD", profitCurrency: "USD" };
const q = (bid: number, ask: number) => ({ symbol: "", bid, ask, time: "", receivedAt: 0 });

describe("pips and prices", () => {
  it("knows the pip of a 5-digit pair, a JPY pair, gold and an index", () => {
    expect(pipSize(EURUSD)).toBe(0.0001);
    expect(pipSize(USDJPY)).toBe(0.01);
    expect(pipSize(XAUUSD)).toBe(0.1);
    expect(pipSize(US30)).toBeCloseTo(0.1, 12);
  });

  it("turns pips into a stop on the losing side, at the symbol's digits", () => {
    expect(stopFromPips("buy", 1.0852, 20, EURUSD)).toBe(1.0832);
    expect(stopFromPips("sell", 1.0852, 20, EURUSD)).toBe(1.0872);
    expect(stopFromPips("buy", 1.08523, 12.5, EURUSD)).toBe(1.08398);
    expect(stopFromPips("sell", 151.42, 50, USDJPY)).toBe(151.92);
    expect(stopFromPips("buy", 151.42, 50, USDJPY)).toBe(150.92);
    expect(stopFromPips("buy", 2650.4, 15, XAUUSD)).toBe(2648.9);
    expect(stopFromPips("sell", 2650.4, 100, XAUUSD)).toBe(2660.4);
  });

  it("turns a stop price back into pips", () => {
    expect(pipsFromStop("buy", 1.0852, 1.0832, EURUSD)).toBe(20);
    expect(pipsFromStop("sell", 151.42, 151.92, USDJPY)).toBe(50);
    expect(pipsFromStop("buy", 2650.4, 2648.9, XAUUSD)).toBe(15);
    // A stop on the wrong side is a negative distance.
    expect(pipsFromStop("buy", 1.0852, 1.0862, EURUSD)).toBe(-10);
  });
});

describe("volume and risk", () => {
  it("computes the engine's worked examples (docs/psydge-discipline.md)", () => {
    // EURUSD 20 pips × 1.00 lot on USD = 200.00 USD.
    expect(riskMinor(EURUSD, 0.002, 1, 1, "USD")).toBe(20000);
    // USDJPY 50 pips × 1.00 on USD at 151.5 = 330.04 USD (rounded up).
    expect(riskMinor(USDJPY, 0.5, 1, 1 / 151.5, "USD")).toBe(33004);
    // XAUUSD 10 USD × 0.10 lot = 100.00 USD; 15,150 JPY on a JPY account.
    expect(riskMinor(XAUUSD, 10, 0.1, 1, "USD")).toBe(10000);
    expect(riskMinor(XAUUSD, 10, 0.1, 151.5, "JPY")).toBe(15150);
    expect(riskPct(10000, 1_000_000)).toBe(1);
    expect(riskPct(10001, 1_000_000)).toBe(1.01); // basis points round up
  });

  it("sizes the volume for a risk share and never over it", () => {
    expect(volumeForRisk(EURUSD, 0.002, 0.5, 1_000_000, 1, "USD")).toEqual({ lots: 0.25 });
    expect(volumeForRisk(EURUSD, 0.002, 1, 1_000_000, 1, "USD")).toEqual({ lots: 0.5 });
    // USDJPY at 151.5: 0.30 lots risk 99.01 USD, 0.31 would be 102.31 USD.
    expect(volumeForRisk(USDJPY, 0.5, 1, 1_000_000, 1 / 151.5, "USD")).toEqual({ lots: 0.3 });
    expect(volumeForRisk(XAUUSD, 10, 1, 1_000_000, 1, "USD")).toEqual({ lots: 0.1 });
    // Steps of 0.1 lot on the index: 75 USD of budget at 50 points is 1.5 lots.
    expect(volumeForRisk(US30, 50, 0.75, 1_000_000, 1, "USD")).toEqual({ lots: 1.5 });
    expect(volumeForRisk(US30, 50, 0.7, 1_000_000, 1, "USD")).toEqual({ lots: 1.4 });
    // Below the minimum volume: named, not rounded up into more risk.
    expect(volumeForRisk(XAUUSD, 500, 0.1, 1_000_000, 1, "USD")).toEqual({ problem: "below_minimum", lots: 0.01 });
    expect(volumeForRisk(EURUSD, 0, 1, 1_000_000, 1, "USD")).toEqual({ problem: "no_distance" });
    for (const pct of [0.1, 0.25, 0.33, 0.5, 0.77, 1]) {
      const v = volumeForRisk(USDJPY, 0.437, pct, 1_234_567, 1 / 150.123, "USD");
      if ("lots" in v && !("problem" in v)) expect(riskPct(riskMinor(USDJPY, 0.437, v.lots, 1 / 150.123, "USD"), 1_234_567)).toBeLessThanOrEqual(pct);
    }
  });

  it("converts the profit currency with the live quotes", () => {
    const prices = { USDJPY: q(151.4, 151.6), EURUSD: q(1.085, 1.0852) };
    expect(conversionRate("USD", "USD", prices)).toBe(1);
    expect(conversionRate("JPY", "USD", prices)).toBeCloseTo(1 / 151.5, 12);
    expect(conversionRate("USD", "EUR", prices)).toBeCloseTo(1 / 1.0851, 12);
    expect(conversionRate("CHF", "USD", prices)).toBeUndefined();
  });

  it("computes the other field in the ticket: volume from risk %, risk % from volume", () => {
    const base = { symbol: "EURUSD", timeframe: "M5" as const, spec: EURUSD, quote: q(1.085, 1.0852), prices: {}, equityMinor: 1_000_000, currency: "USD" };
    const fromRisk = buildTicket({ ...base, fields: { ...emptyTicket, stopText: "1.0832", riskText: "2" } });
    expect(fromRisk.volume).toBe(1);
    expect(fromRisk.request).toEqual({ symbol: "EURUSD", timeframe: "M5", direction: "buy", volume: 1, stop_loss: 1.0832 });
    const fromVolume = buildTicket({ ...base, fields: { ...emptyTicket, stopText: "20", stopInPips: true, volumeText: "0.25", sizeFrom: "volume" } });
    expect(fromVolume.stopPrice).toBe(1.0832);
    expect(fromVolume.riskPct).toBe(0.5);
    expect(fromVolume.request?.volume).toBe(0.25);
    // Too many digits for the symbol, a stop on the profit side: no request, the field named.
    expect(buildTicket({ ...base, fields: { ...emptyTicket, stopText: "1.083201" } }).problems[0]?.field).toBe("stop");
    expect(buildTicket({ ...base, fields: { ...emptyTicket, stopText: "1.0900" } }).request).toBeUndefined();
    // USDJPY in pips on a USD account: the JPY profit converted with the USDJPY quote.
    const jpy = buildTicket({ ...base, symbol: "USDJPY", spec: USDJPY, quote: q(151.4, 151.42), prices: { USDJPY: q(151.4, 151.42) },
      fields: { ...emptyTicket, direction: "sell", stopText: "50", stopInPips: true, riskText: "1" } });
    expect(jpy.stopPrice).toBe(151.9);
    expect(jpy.volume).toBe(0.3);
  });
});

describe("moving a stop", () => {
  it("lets a buy's stop move up only, below the market", () => {
    expect(stopMove("buy", 1.083, 1.084, 1.0855)).toEqual({ ok: true });
    expect(stopMove("buy", 1.083, 1.087, 1.0855)).toEqual({ ok: false, reason: "wrong_side" });
    expect(stopMove("buy", 1.083, 1.082, 1.0855)).toEqual({ ok: false, reason: "widens" });
    expect(stopMove("buy", 1.083, 1.083, 1.0855)).toEqual({ ok: false, reason: "unchanged" });
  });

  it("lets a sell's stop move down only, above the market", () => {
    expect(stopMove("sell", 1.088, 1.087, 1.0855)).toEqual({ ok: true });
    expect(stopMove("sell", 1.088, 1.089, 1.0855)).toEqual({ ok: false, reason: "widens" });
    expect(stopMove("sell", 1.088, 1.085, 1.0855)).toEqual({ ok: false, reason: "wrong_side" });
    // Into profit is allowed: below the entry for a sell opened at 1.0870.
    expect(stopMove("sell", 1.088, 1.0865, 1.0855)).toEqual({ ok: true });
  });
});

describe("P/L in R", () => {
  it("measures R from the entry and the initial stop", () => {
    expect(rMultiple("buy", 1.085, 1.083, 1.087)).toBeCloseTo(1, 9);
    expect(rMultiple("buy", 1.085, 1.083, 1.084)).toBeCloseTo(-0.5, 9);
    expect(rMultiple("sell", 151.42, 151.92, 150.42)).toBeCloseTo(2, 9);
    expect(rMultiple("sell", 151.42, 151.92, 151.92)).toBeCloseTo(-1, 9);
    expect(rMultiple("buy", 1.085, 1.086, 1.087)).toBeUndefined(); // no risk to measure against
  });

  it("values an open trade from the live quote (exit at the bid for a buy, the ask for a sell)", () => {
    const trade = {
      id: 7, symbol: "USDJPY", direction: "SELL", digits: 3, entry_points: 151420, initial_sl_points: 151920, sl_points: 151920,
      lot_hundredths: 30, currency: "USD", risk_minor: 9901, status: "open",
    } as Trade;
    const prices = { USDJPY: q(150.9, 150.92) };
    const pl = livePL(trade, prices.USDJPY, USDJPY, prices, "USD");
    expect(pl.price).toBe(150.92);
    expect(pl.r).toBeCloseTo(1, 9);
    // 0.50 JPY × 100,000 × 0.30 lots = 15,000 JPY at 150.91 = 99.40 USD.
    expect(pl.money).toBe(9940);
    // Without a specification the broker's figure stands; R needs none.
    const broker = livePL(trade, prices.USDJPY, undefined, prices, "USD", { profit: 9877 } as never);
    expect(broker.money).toBe(9877);
    expect(broker.r).toBeCloseTo(1, 9);
  });
});
