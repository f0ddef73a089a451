import { describe, expect, it } from "vitest";
import { boundsOf, checkConfig, toggleWhitelist, type Config } from "./tighten";

// The locked rules as discipline.Defaults() sends them (two symbols are enough here).
const locked: Config = {
  loss_lock_mr: 2000, profit_lock_mr: 3000, cooldown_minutes: 240, max_risk_bp: 100, signal_bars: 3,
  london: { enabled: true, open: 480, close: 1020 }, new_york: { enabled: true, open: 480, close: 1020 },
  whitelist: [
    { symbol: "EURUSD", timeframes: ["M1", "M5", "M15", "M30", "H1", "H4", "D1"] },
    { symbol: "XAUUSD", timeframes: ["M1", "M5", "M15", "M30", "H1", "H4", "D1"] },
  ],
};

// A trader who has already tightened: −1.5R, +2.5R, 5 h, 0.5 %, 2 bars, London 09–16, NY off.
const current: Config = {
  ...locked,
  loss_lock_mr: 1500, profit_lock_mr: 2500, cooldown_minutes: 300, max_risk_bp: 50, signal_bars: 2,
  london: { enabled: true, open: 540, close: 960 }, new_york: { enabled: false, open: 480, close: 1020 },
  whitelist: [{ symbol: "EURUSD", timeframes: ["M5", "H1"] }],
};

describe("tightening bounds", () => {
  it("bounds each field by the stricter of the locked rule and the current value", () => {
    expect(boundsOf("loss_lock_mr", current, locked)).toEqual({ min: 1, max: 1500 });
    expect(boundsOf("profit_lock_mr", current, locked)).toEqual({ min: 1, max: 2500 });
    expect(boundsOf("cooldown_minutes", current, locked)).toEqual({ min: 300, max: 1440 });
    expect(boundsOf("max_risk_bp", current, locked)).toEqual({ min: 1, max: 50 });
    expect(boundsOf("signal_bars", current, locked)).toEqual({ min: 1, max: 2 });
    // A corrupt current value looser than the lock never widens the bound.
    const loose = { ...current, loss_lock_mr: 5000, cooldown_minutes: 60 };
    expect(boundsOf("loss_lock_mr", loose, locked).max).toBe(2000);
    expect(boundsOf("cooldown_minutes", loose, locked).min).toBe(240);
  });

  it("accepts the current config and every tightening", () => {
    expect(checkConfig(current, current, locked)).toEqual({});
    const tighter: Config = {
      ...current, loss_lock_mr: 1000, profit_lock_mr: 1000, cooldown_minutes: 600, max_risk_bp: 25, signal_bars: 1,
      london: { enabled: true, open: 600, close: 900 }, whitelist: [{ symbol: "EURUSD", timeframes: ["H1"] }],
    };
    expect(checkConfig(tighter, current, locked)).toEqual({});
  });

  it.each([
    ["loss_lock_mr", 1600],
    ["profit_lock_mr", 2600],
    ["cooldown_minutes", 299],
    ["max_risk_bp", 51],
    ["signal_bars", 3],
  ] as const)("refuses loosening %s to %d", (field, value) => {
    const out = checkConfig({ ...current, [field]: value }, current, locked);
    expect(Object.keys(out)).toEqual([field]);
    expect(out[field]!.key).toBe("discipline.err.looser");
  });

  it("refuses zero, fractions of a unit and a cooldown over a day", () => {
    expect(checkConfig({ ...current, max_risk_bp: 0 }, current, locked).max_risk_bp?.key).toBe("discipline.err.positive");
    expect(checkConfig({ ...current, max_risk_bp: 12.5 }, current, locked).max_risk_bp?.key).toBe("discipline.err.number");
    expect(checkConfig({ ...current, cooldown_minutes: 1441 }, current, locked).cooldown_minutes?.key).toBe("discipline.err.tooLong");
    expect(checkConfig({ ...current, signal_bars: NaN }, current, locked).signal_bars?.key).toBe("discipline.err.number");
  });

  it("lets a session narrow or switch off, never widen, switch back on, or leave none", () => {
    const wider = { ...current, london: { enabled: true, open: 480, close: 960 } };
    expect(checkConfig(wider, current, locked).london?.key).toBe("discipline.err.looser");
    const later = { ...current, london: { enabled: true, open: 540, close: 1000 } };
    expect(checkConfig(later, current, locked).london?.key).toBe("discipline.err.looser");
    const nyOn = { ...current, new_york: { enabled: true, open: 600, close: 700 } };
    expect(checkConfig(nyOn, current, locked).new_york?.key).toBe("discipline.err.sessionOff");
    const none = { ...current, london: { ...current.london, enabled: false } };
    expect(checkConfig(none, current, locked).new_york?.key).toBe("discipline.err.oneSession");
    const inverted = { ...current, london: { enabled: true, open: 900, close: 600 } };
    expect(checkConfig(inverted, current, locked).london?.key).toBe("discipline.err.window");
  });

  it("lets the whitelist only lose pairs", () => {
    const added = { ...current, whitelist: toggleWhitelist(current, "XAUUSD", "H1", true) };
    expect(checkConfig(added, current, locked).whitelist).toEqual({ key: "discipline.err.notListed", vars: { symbol: "XAUUSD", tf: "H1" } });
    const removed = toggleWhitelist(current, "EURUSD", "M5", false);
    expect(removed).toEqual([{ symbol: "EURUSD", timeframes: ["H1"] }]);
    // A symbol left with no timeframe is dropped, as the server refuses an empty one.
    expect(toggleWhitelist({ ...current, whitelist: removed }, "EURUSD", "H1", false)).toEqual([]);
    expect(current.whitelist).toEqual([{ symbol: "EURUSD", timeframes: ["M5", "H1"] }]);
  });
});
