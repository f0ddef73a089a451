// The discipline config's tightening rules as the editor offers them. They mirror the server's
// discipline.Config.Validate and Tighten (modules/psydge/discipline/config.go): every value must
// be at least as strict as the locked rule AND the trader's own current setting, so each
// control is bounded by whichever of the two is stricter. The server checks again and its
// refusal is shown per field; these bounds only keep a loosening value from being sent.
import type { ConfigView } from "../types";

/** A discipline config as the API sends and takes it. */
export type Config = ConfigView["config"];

/** Numeric fields and the direction in which each one tightens. */
export type NumericField = "loss_lock_mr" | "profit_lock_mr" | "cooldown_minutes" | "max_risk_bp" | "signal_bars";

/** The server's rule names (RuleError.Rule, the 422's field) for each editor field. */
export const RULE_OF: Record<NumericField | "sessions" | "whitelist", string> = {
  loss_lock_mr: "loss_lock_r",
  profit_lock_mr: "profit_lock_r",
  cooldown_minutes: "cooldown_hours",
  max_risk_bp: "max_risk_pct",
  signal_bars: "signal_bars",
  sessions: "session_hours",
  whitelist: "symbol_whitelist",
};

/** The longest cooldown the server accepts (discipline.MaxCooldownMinutes). */
export const MAX_COOLDOWN_MINUTES = 24 * 60;

/** "down": a smaller value is stricter; "up": a larger one is. */
export const TIGHTENS: Record<NumericField, "down" | "up"> = {
  loss_lock_mr: "down",
  profit_lock_mr: "down",
  cooldown_minutes: "up",
  max_risk_bp: "down",
  signal_bars: "down",
};

/** The inclusive range a field may take, in the API's units. */
export interface Bounds {
  min: number;
  max: number;
}

/** The range a numeric field may take: never looser than the locked rule or the current value. */
export function boundsOf(field: NumericField, current: Config, locked: Config): Bounds {
  const cur = current[field];
  const lim = locked[field];
  if (TIGHTENS[field] === "up") return { min: Math.max(cur, lim), max: MAX_COOLDOWN_MINUTES };
  // Every "down" field must stay positive; signal bars are whole bars, at least one.
  return { min: 1, max: Math.min(cur, lim) };
}

/** Why a value is refused, as a message key with its variables, or undefined when it tightens. */
export interface Refusal {
  key: string;
  vars?: Record<string, string | number>;
}

export function checkNumber(field: NumericField, value: number, current: Config, locked: Config): Refusal | undefined {
  if (!Number.isFinite(value) || !Number.isInteger(value)) return { key: "discipline.err.number" };
  const b = boundsOf(field, current, locked);
  if (value < b.min) return TIGHTENS[field] === "up" ? { key: "discipline.err.looser" } : { key: "discipline.err.positive" };
  if (value > b.max) return TIGHTENS[field] === "down" ? { key: "discipline.err.looser" } : { key: "discipline.err.tooLong" };
  return undefined;
}

export type SessionKey = "london" | "new_york";

/**
 * A session may narrow (open later, close earlier) or be switched off, never widen or be
 * switched back on once off, and the two may not both be off.
 */
export function checkSessions(proposed: Config, current: Config, locked: Config): Partial<Record<SessionKey, Refusal>> {
  const out: Partial<Record<SessionKey, Refusal>> = {};
  for (const k of ["london", "new_york"] as const) {
    const p = proposed[k];
    if (!p.enabled) continue;
    const c = current[k];
    const l = locked[k];
    if (!c.enabled || !l.enabled) out[k] = { key: "discipline.err.sessionOff" };
    else if (p.open >= p.close) out[k] = { key: "discipline.err.window" };
    else if (p.open < Math.max(c.open, l.open) || p.close > Math.min(c.close, l.close)) out[k] = { key: "discipline.err.looser" };
  }
  if (!proposed.london.enabled && !proposed.new_york.enabled) out.new_york = { key: "discipline.err.oneSession" };
  return out;
}

/** The session window bounds for a time control: opening no earlier, closing no later. */
export function sessionBounds(k: SessionKey, current: Config, locked: Config): { open: number; close: number } {
  return { open: Math.max(current[k].open, locked[k].open), close: Math.min(current[k].close, locked[k].close) };
}

/** Whether the current whitelist (and the locked one) lists symbol on timeframe. */
export function allows(cfg: Config, symbol: string, tf: string): boolean {
  return cfg.whitelist.some((i) => i.symbol === symbol && i.timeframes.includes(tf));
}

/** A whitelist may only lose entries: every proposed pair must be in the current list. */
export function checkWhitelist(proposed: Config, current: Config, locked: Config): Refusal | undefined {
  for (const i of proposed.whitelist) {
    if (i.timeframes.length === 0) return { key: "discipline.err.noTimeframe", vars: { symbol: i.symbol } };
    for (const tf of i.timeframes) {
      if (!allows(current, i.symbol, tf) || !allows(locked, i.symbol, tf)) return { key: "discipline.err.notListed", vars: { symbol: i.symbol, tf } };
    }
  }
  return undefined;
}

/** Toggles one symbol × timeframe pair, dropping a symbol left with no timeframe. */
export function toggleWhitelist(cfg: Config, symbol: string, tf: string, on: boolean): Config["whitelist"] {
  const list = cfg.whitelist.map((i) => ({ ...i, timeframes: [...i.timeframes] }));
  let entry = list.find((i) => i.symbol === symbol);
  if (on) {
    if (!entry) {
      entry = { symbol, timeframes: [] };
      list.push(entry);
    }
    if (!entry.timeframes.includes(tf)) entry.timeframes.push(tf);
  } else if (entry) {
    entry.timeframes = entry.timeframes.filter((x) => x !== tf);
  }
  return list.filter((i) => i.timeframes.length > 0);
}

/** Every refusal of a proposed config, by editor field; empty when it only tightens. */
export function checkConfig(proposed: Config, current: Config, locked: Config): Partial<Record<NumericField | SessionKey | "whitelist", Refusal>> {
  const out: Partial<Record<NumericField | SessionKey | "whitelist", Refusal>> = {};
  for (const f of Object.keys(TIGHTENS) as NumericField[]) {
    const r = checkNumber(f, proposed[f], current, locked);
    if (r) out[f] = r;
  }
  Object.assign(out, checkSessions(proposed, current, locked));
  const w = checkWhitelist(proposed, current, locked);
  if (w) out.whitelist = w;
  return out;
}

/** Minutes after midnight as "HH:MM" (an <input type="time"> value) and back. */
export function hhmm(min: number): string {
  return `${String(Math.floor(min / 60)).padStart(2, "0")}:${String(min % 60).padStart(2, "0")}`;
}

export function minutesOf(v: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(v);
  return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
}
