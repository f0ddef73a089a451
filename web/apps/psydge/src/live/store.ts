// The panel's live state: one WebSocket (the `ws` surface, or /ws on the panel's own host)
// fans out prices, gate status, positions, trades, violations, scores and AI messages into
// this store; every screen reads from it. On each (re)connect the state the channel may have
// missed is fetched again over HTTP, so a dropped connection never leaves a screen stale.
import { create } from "zustand";
import { ApiError, openLive, sameOriginWS, type Live, type LiveStatus } from "@alorig/ui";
import { api } from "../api";
import type { AccountView, GateStatus, LiveTicket, Position, Trade, ViolationRow } from "../types";

/** The whitelisted symbols the watchlist and chart offer (the engine's default whitelist). */
export const SYMBOLS = ["EURUSD", "GBPUSD", "USDJPY", "XAUUSD"] as const;

export interface Quote {
  symbol: string;
  bid: number;
  ask: number;
  /** Server time of the quote (ISO). */
  time: string;
  /** Browser time the quote arrived (performance.now()), for latency measurement. */
  receivedAt: number;
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
  connect(): void;
  disconnect(): void;
  /** Re-fetches gate, account, open trades and prices over HTTP. */
  refresh(): Promise<void>;
  /** Server time now, in ms since the epoch. */
  serverNow(): number;
}

let live: Live | undefined;

export const useLive = create<LiveState>((set, get) => ({
  status: "closed",
  clockOffsetMs: 0,
  prices: {},
  positions: [],
  trades: {},
  violations: [],
  aiMessages: [],
  scoreVersion: 0,

  serverNow: () => Date.now() + get().clockOffsetMs,

  connect() {
    if (live) return;
    live = openLive<{ type: string; data: unknown }>({
      async url() {
        const t = await api.post<LiveTicket>("/ws/ticket");
        return sameOriginWS(`/ws?ticket=${encodeURIComponent(t.ticket)}&symbols=${SYMBOLS.join(",")}`);
      },
      isFatal: (e) => e instanceof ApiError && (e.status === 401 || e.status === 403),
      onStatus: (status) => set({ status }),
      onOpen: () => {
        live?.send({ type: "subscribe", symbols: [...SYMBOLS] });
        void get().refresh();
      },
      onMessage: (msg) => applyEvent(msg.type, msg.data),
    });
  },

  disconnect() {
    live?.close();
    live = undefined;
    set({ status: "closed" });
  },

  async refresh() {
    const [gate, account, open, prices] = await Promise.allSettled([
      api.get<GateStatus>("/gates"),
      api.get<AccountView>("/account"),
      api.get<Trade[]>("/trades", { status: "open" }),
      api.get<Record<string, Omit<Quote, "receivedAt">>>("/prices", { symbols: SYMBOLS.join(",") }),
    ]);
    if (gate.status === "fulfilled") setGate(gate.value);
    if (account.status === "fulfilled") set({ account: account.value, positions: account.value.positions ?? get().positions });
    if (open.status === "fulfilled") {
      const trades = { ...get().trades };
      for (const t of open.value) trades[t.id] = t;
      set({ trades });
    }
    if (prices.status === "fulfilled") {
      const now = performance.now();
      const next = { ...get().prices };
      for (const [sym, q] of Object.entries(prices.value)) if (!next[sym] || next[sym].time < q.time) next[sym] = { ...q, receivedAt: now };
      set({ prices: next });
    }
  },
}));

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
      useLive.setState({ prices: { ...s.prices, [q.symbol]: { ...q, receivedAt: performance.now() } } });
      break;
    }
    case "gate":
      setGate(data as GateStatus);
      break;
    case "positions": {
      const d = data as { account?: AccountView; positions?: Position[] };
      useLive.setState({ account: d.account ?? s.account, positions: d.positions ?? [] });
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
    case "ai_message":
      useLive.setState({ aiMessages: [data as AIMessage, ...s.aiMessages].slice(0, 50) });
      break;
    case "error":
      console.warn("live channel:", data);
      break;
  }
}
