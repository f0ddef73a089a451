// The panel's live state: one WebSocket (the `ws` surface, or /ws on the panel's own host)
// fans out prices, gate status, positions, trades, violations, scores and AI messages into
// this store; every screen reads from it. On each (re)connect the state the channel may have
// missed is fetched again over HTTP, so a dropped connection never leaves a screen stale.
import { create } from "zustand";
import { ApiError, openLive, sameOriginWS, type Live, type LiveStatus } from "@alorig/ui";
import { api } from "../api";
import type { AccountView, ConfigView, GateStatus, LiveTicket, Position, Trade, ViolationRow } from "../types";

/**
 * The platform's symbol universe (discipline.Universe in modules/psydge/discipline/config.go):
 * the default whitelist, used until the trader's own whitelist has been read.
 */
export const SYMBOLS = [
  "EURUSD", "GBPUSD", "USDJPY", "USDCHF", "AUDUSD", "USDCAD", "NZDUSD",
  "EURJPY", "GBPJPY", "EURGBP", "XAUUSD", "US30", "US500", "NAS100", "DE40", "UK100",
] as const;

/** A quote older than this (by the server's clock) is marked stale: the server's price key lives 5 s. */
export const STALE_AFTER_MS = 5_000;

export interface Quote {
  symbol: string;
  bid: number;
  ask: number;
  /** Server time of the quote (ISO). */
  time: string;
  /** Browser time the quote arrived (performance.now()), for latency measurement. */
  receivedAt: number;
}

/** Whether a quote is stale at server time `serverNowMs`; no quote at all counts as stale. */
export function isStale(q: Pick<Quote, "time"> | undefined, serverNowMs: number): boolean {
  if (!q) return true;
  const t = Date.parse(q.time);
  return !Number.isFinite(t) || serverNowMs - t > STALE_AFTER_MS;
}

export interface AIMessage {
  id?: number;
  role?: string;
  [k: string]: unknown;
}

export interface LiveState {
  status: LiveStatus;
  /** Server time minus browser time, from the last gate status: countdowns use it. */
  clockOffsetMs: number;
  /** The trader's whitelisted symbols (their discipline config), in its order. */
  whitelist: string[];
  prices: Record<string, Quote>;
  gate?: GateStatus;
  account?: AccountView;
  positions: Position[];
  /** Trades as the live channel last described them (open, closed, rejected …), by id. */
  trades: Record<number, Trade>;
  violations: ViolationRow[];
  aiMessages: AIMessage[];
  /** Bumped whenever a score event arrives, for screens that re-fetch the score. */
  scoreVersion: number;
  /** Bumped whenever a Vista signal is published for a watched symbol. */
  signalVersion: number;
  connect(): void;
  disconnect(): void;
  /** Forgets everything the store holds (sign-out: the next person must not see it). */
  reset(): void;
  /** Re-fetches gate, account, trades, prices and the whitelist over HTTP. */
  refresh(): Promise<void>;
  /** Sets the whitelist (after the discipline config changed) and subscribes to new symbols. */
  setWhitelist(symbols: string[]): void;
  /** Server time now, in ms since the epoch. */
  serverNow(): number;
}

let live: Live | undefined;
/** The symbols the open socket is subscribed to (by its URL or a later subscribe frame). */
let subscribed = new Set<string>();

const empty = {
  status: "closed" as LiveStatus,
  clockOffsetMs: 0,
  whitelist: [...SYMBOLS] as string[],
  prices: {},
  gate: undefined,
  account: undefined,
  positions: [],
  trades: {},
  violations: [],
  aiMessages: [],
  scoreVersion: 0,
  signalVersion: 0,
};

export const useLive = create<LiveState>((set, get) => ({
  ...empty,

  serverNow: () => Date.now() + get().clockOffsetMs,

  connect() {
    if (live) return;
    live = openLive<{ type: string; data: unknown }>({
      async url() {
        const t = await api.post<LiveTicket>("/ws/ticket");
        // The URL subscribes at once; a subscribe frame on open would only repeat the
        // snapshot and spend the connection's frame allowance.
        const symbols = get().whitelist;
        subscribed = new Set(symbols);
        return sameOriginWS(`/ws?ticket=${encodeURIComponent(t.ticket)}&symbols=${encodeURIComponent(symbols.join(","))}`);
      },
      isFatal: (e) => e instanceof ApiError && (e.status === 401 || e.status === 403),
      onStatus: (status) => set({ status }),
      onOpen: () => void get().refresh(),
      onMessage: (msg) => applyEvent(msg.type, msg.data),
    });
  },

  disconnect() {
    live?.close();
    live = undefined;
    subscribed = new Set();
    set({ status: "closed" });
  },

  reset() {
    get().disconnect();
    set({ ...empty });
  },

  setWhitelist(symbols) {
    if (symbols.length === 0) return;
    set({ whitelist: symbols });
    const added = symbols.filter((s) => !subscribed.has(s));
    if (live && added.length > 0) {
      for (const s of added) subscribed.add(s);
      live.send({ type: "subscribe", symbols: added });
    }
  },

  async refresh() {
    const [config, gate, account, open, recent] = await Promise.allSettled([
      api.get<ConfigView>("/discipline-config"),
      api.get<GateStatus>("/gates"),
      api.get<AccountView>("/account"),
      api.get<Trade[]>("/trades", { status: "open" }),
      api.get<Trade[]>("/trades", { limit: 50 }),
    ]);
    if (config.status === "fulfilled") get().setWhitelist((config.value.config.whitelist ?? []).map((i) => i.symbol));
    if (gate.status === "fulfilled") setGate(gate.value);
    if (account.status === "fulfilled") set({ account: account.value, positions: sortPositions(account.value.positions ?? []) });
    if (open.status === "fulfilled") set({ trades: mergeTrades(get().trades, open.value, recent.status === "fulfilled" ? recent.value : []) });
    const prices = await api.get<Record<string, Omit<Quote, "receivedAt">>>("/prices", { symbols: get().whitelist.join(",") }).catch(() => undefined);
    if (prices) {
      const now = performance.now();
      const next = { ...get().prices };
      for (const [sym, q] of Object.entries(prices)) if (newer(q, next[sym])) next[sym] = { ...q, receivedAt: now };
      set({ prices: next });
    }
  },
}));

/**
 * Folds a re-fetch into the trades the store holds: `open` is every open trade, `recent` the
 * latest trades of any status. A trade the store still holds as open that is in neither list
 * closed while the channel was down, so it is dropped rather than shown open.
 */
export function mergeTrades(held: Record<number, Trade>, open: Trade[], recent: Trade[]): Record<number, Trade> {
  const next: Record<number, Trade> = {};
  const openIds = new Set(open.map((t) => t.id));
  const recentIds = new Set(recent.map((t) => t.id));
  for (const [id, t] of Object.entries(held)) {
    const stillOpen = t.status === "open" || t.status === "pending" || t.status === "unknown";
    if (stillOpen && !openIds.has(t.id) && !recentIds.has(t.id)) continue;
    next[Number(id)] = t;
  }
  for (const t of recent) next[t.id] = t;
  for (const t of open) next[t.id] = t;
  return next;
}

function newer(q: { time: string }, held: { time: string } | undefined): boolean {
  if (!held) return true;
  // ISO strings with varying fraction lengths do not sort as text ("05.1Z" > "05.15Z").
  return Date.parse(q.time) >= Date.parse(held.time);
}

function sortPositions(ps: Position[]): Position[] {
  return [...ps].sort((a, b) => a.openedAt.localeCompare(b.openedAt) || a.id.localeCompare(b.id));
}

function setGate(g: GateStatus) {
  const offset = g.now ? Date.parse(g.now) - Date.now() : useLive.getState().clockOffsetMs;
  useLive.setState({ gate: g, clockOffsetMs: offset });
}

/** Applies one live-channel event to the store (exported for tests). */
export function applyEvent(type: string, data: unknown) {
  const s = useLive.getState();
  switch (type) {
    case "price": {
      const q = data as Omit<Quote, "receivedAt">;
      // A snapshot after a reconnect can carry a quote older than one already shown.
      if (!newer(q, s.prices[q.symbol])) break;
      useLive.setState({ prices: { ...s.prices, [q.symbol]: { ...q, receivedAt: performance.now() } } });
      break;
    }
    case "gate":
      setGate(data as GateStatus);
      break;
    case "positions": {
      // The channel's positions event carries the broker account (AccountInfo), not the
      // whole AccountView: keep the connection the HTTP answer gave.
      const d = data as { account?: AccountView["account"] | null; positions?: Position[] };
      const positions = sortPositions(d.positions ?? []);
      const account = d.account
        ? { connection: s.account?.connection ?? null, account: d.account, positions }
        : s.account && { ...s.account, positions };
      useLive.setState({ account, positions });
      break;
    }
    case "trade": {
      const t = data as Trade;
      useLive.setState({ trades: { ...s.trades, [t.id]: t } });
      break;
    }
    case "violation":
      useLive.setState({ violations: [data as ViolationRow, ...s.violations].slice(0, 50) });
      break;
    case "score":
      useLive.setState({ scoreVersion: s.scoreVersion + 1 });
      break;
    case "signal":
      useLive.setState({ signalVersion: s.signalVersion + 1 });
      break;
    // "ai": each AI role's call (an ai_interactions row); "ai_message": the weekly report.
    case "ai":
    case "ai_message":
      useLive.setState({ aiMessages: [data as AIMessage, ...s.aiMessages].slice(0, 50) });
      break;
    case "error":
      console.warn("live channel:", data);
      break;
  }
}
