import { describe, expect, it } from "vitest";
import { applyTick, bucketStart, positionLines, priceDigits, spreadPoints, TIMEFRAME_SECONDS } from "./bars";
import { TIMEFRAMES } from "./selection";
import type { Position, Trade } from "../types";

const sec = (iso: string) => Date.parse(iso) / 1000;

describe("bucketStart", () => {
  it("aligns every timeframe to UTC boundaries", () => {
    const t = sec("2026-01-05T13:47:31Z");
    expect(bucketStart(t, "M1")).toBe(sec("2026-01-05T13:47:00Z"));
    expect(bucketStart(t, "M5")).toBe(sec("2026-01-05T13:45:00Z"));
    expect(bucketStart(t, "M15")).toBe(sec("2026-01-05T13:45:00Z"));
    expect(bucketStart(t, "M30")).toBe(sec("2026-01-05T13:30:00Z"));
    expect(bucketStart(t, "H1")).toBe(sec("2026-01-05T13:00:00Z"));
    expect(bucketStart(t, "H4")).toBe(sec("2026-01-05T12:00:00Z"));
    expect(bucketStart(t, "D1")).toBe(sec("2026-01-05T00:00:00Z"));
  });
});

describe("applyTick", () => {
  for (const tf of TIMEFRAMES) {
    const d = TIMEFRAME_SECONDS[tf];
    const open = bucketStart(sec("2026-01-05T13:47:31Z"), tf);
    const bar = { time: open, open: 1.1, high: 1.2, low: 1.0, close: 1.15 };

    it(`${tf}: a tick within the bar moves its high, low and close, never its open or time`, () => {
      expect(applyTick(bar, 1.25, open + d - 1, tf)).toEqual({ kind: "update", bar: { time: open, open: 1.1, high: 1.25, low: 1.0, close: 1.25 } });
      expect(applyTick(bar, 0.95, open, tf)).toEqual({ kind: "update", bar: { time: open, open: 1.1, high: 1.2, low: 0.95, close: 0.95 } });
      expect(applyTick(bar, 1.12, open + d / 2, tf)).toEqual({ kind: "update", bar: { ...bar, close: 1.12 } });
    });

    it(`${tf}: a tick at or past the boundary starts a new bar at the boundary it falls in`, () => {
      expect(applyTick(bar, 1.3, open + d, tf)).toEqual({ kind: "new", bar: { time: open + d, open: 1.3, high: 1.3, low: 1.3, close: 1.3 } });
      // A gap (a quiet market, a weekend): the new bar opens where the tick is, not right after the old one.
      expect(applyTick(bar, 1.3, open + 3 * d + 7, tf)).toEqual({ kind: "new", bar: { time: open + 3 * d, open: 1.3, high: 1.3, low: 1.3, close: 1.3 } });
    });

    it(`${tf}: a tick older than the bar changes nothing`, () => {
      expect(applyTick(bar, 9, open - 1, tf)).toEqual({ kind: "stale" });
    });
  }

  it("starts the first bar when there is none", () => {
    expect(applyTick(undefined, 2, sec("2026-01-05T13:47:31Z"), "M1")).toEqual({ kind: "new", bar: { time: sec("2026-01-05T13:47:00Z"), open: 2, high: 2, low: 2, close: 2 } });
  });
});

describe("positionLines", () => {
  const pos = { id: "p1", symbol: "EURUSD", openPrice: 1.085, stopLoss: 1.08, takeProfit: 1.095, clientId: "c1" } as Position;
  const trade = (over: Partial<Trade>) => ({ id: 9, symbol: "EURUSD", status: "open", client_id: "c9", digits: 5, entry_points: 108500, sl_points: 108000, tp_points: 0, ...over }) as Trade;

  it("draws the broker position's entry, stop and take-profit for the symbol only", () => {
    expect(positionLines("EURUSD", [pos, { ...pos, id: "p2", symbol: "XAUUSD" }], [])).toEqual([
      { kind: "entry", price: 1.085, ref: "p1" },
      { kind: "stop", price: 1.08, ref: "p1" },
      { kind: "target", price: 1.095, ref: "p1" },
    ]);
  });

  it("draws an open trade the broker has not reported yet from its points, without a missing take-profit", () => {
    expect(positionLines("EURUSD", [], [trade({}), trade({ id: 10, status: "closed" })])).toEqual([
      { kind: "entry", price: 1.085, ref: "trade-9" },
      { kind: "stop", price: 1.08, ref: "trade-9" },
    ]);
    // The same trade, once the broker reports its position, is drawn once.
    expect(positionLines("EURUSD", [pos], [trade({ client_id: "c1" })])).toHaveLength(3);
  });
});

describe("prices", () => {
  it("knows the platform's digits and infers the rest from the quote", () => {
    expect(priceDigits("EURUSD", 1.0852)).toBe(5);
    expect(priceDigits("USDJPY", 151.42)).toBe(3);
    expect(priceDigits("XAUUSD", 2650.4)).toBe(2);
    expect(priceDigits("US30", 43850)).toBe(1);
    expect(priceDigits("USDZAR", 18.123456)).toBe(6);
  });
  it("gives the spread in points", () => {
    expect(spreadPoints(1.08524, 1.08532, 5)).toBe(8);
    expect(spreadPoints(2650.28, 2650.53, 2)).toBe(25);
  });
});
