import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { applyEvent, isStale, mergeTrades, useLive } from "./store";
import type { Trade } from "../types";

// A WebSocket the test drives: it records what the page sends and opens or closes when told.
class FakeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static all: FakeSocket[] = [];
  readyState = FakeSocket.CONNECTING;
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((ev: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    if (this.readyState === FakeSocket.CLOSED) return;
    this.readyState = FakeSocket.CLOSED;
    this.onclose?.();
  }
  open() {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
  push(type: string, data: unknown) {
    this.onmessage?.({ data: JSON.stringify({ type, data }) });
  }
}

function trade(id: number, status: string): Trade {
  return { id, status, symbol: "EURUSD", client_id: `c${id}` } as Trade;
}

// What the server answers, per request; tests change it between connections.
let server: {
  whitelist: string[];
  open: Trade[];
  recent: Trade[];
  prices: Record<string, { symbol: string; bid: number; ask: number; time: string }>;
};
let requests: string[];
const realWebSocket = globalThis.WebSocket;
const realFetch = globalThis.fetch;

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

beforeEach(() => {
  FakeSocket.all = [];
  requests = [];
  server = { whitelist: ["EURUSD", "XAUUSD"], open: [], recent: [], prices: {} };
  globalThis.WebSocket = FakeSocket as unknown as typeof WebSocket;
  globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), "http://psydge.localhost");
    const route = `${init?.method ?? "GET"} ${url.pathname}${url.search}`;
    requests.push(route);
    if (route.startsWith("POST /api/v1/ws/ticket")) return json({ ticket: `t${requests.length}`, expires_at: "" }, 201);
    if (route.startsWith("GET /api/v1/discipline-config")) return json({ config: { whitelist: server.whitelist.map((symbol) => ({ symbol, timeframes: ["M5"] })) }, locked_rules: {} });
    if (route.startsWith("GET /api/v1/gates")) return json({ now: new Date(Date.now() + 60_000).toISOString(), level: "L0" });
    if (route.startsWith("GET /api/v1/account")) return json({ connection: { id: 1 }, account: { equity: 100 }, positions: [] });
    if (route === "GET /api/v1/trades?status=open") return json(server.open);
    if (route.startsWith("GET /api/v1/trades?limit=")) return json(server.recent);
    if (route.startsWith("GET /api/v1/prices")) return json(server.prices);
    return json({ detail: "unexpected " + route }, 404);
  }) as typeof fetch;
});

afterEach(() => {
  useLive.getState().reset();
  globalThis.WebSocket = realWebSocket;
  globalThis.fetch = realFetch;
});

const count = (prefix: string) => requests.filter((r) => r.startsWith(prefix)).length;

describe("live store", () => {
  it("subscribes by URL, re-fetches on open and subscribes only to whitelist symbols it lacks", async () => {
    useLive.getState().connect();
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(1));
    const first = FakeSocket.all[0]!;
    expect(new URL(first.url).searchParams.get("symbols")).toBe(useLive.getState().whitelist.join(","));
    expect(new URL(first.url).searchParams.get("ticket")).toMatch(/^t\d+$/);

    server.whitelist = ["EURUSD", "XAUUSD"];
    first.open();
    expect(useLive.getState().status).toBe("open");
    await vi.waitFor(() => expect(useLive.getState().whitelist).toEqual(["EURUSD", "XAUUSD"]));
    // Both were in the URL's subscription: the server already sent their snapshot.
    expect(first.sent).toEqual([]);

    useLive.getState().setWhitelist(["EURUSD", "XAUUSD", "BTCUSD"]);
    expect(first.sent).toEqual([{ type: "subscribe", symbols: ["BTCUSD"] }]);
  });

  it("reconnects after the socket drops, with a fresh ticket, and re-fetches what it missed", async () => {
    server.open = [trade(1, "open"), trade(2, "open")];
    useLive.getState().connect();
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(1));
    FakeSocket.all[0]!.open();
    await vi.waitFor(() => expect(Object.keys(useLive.getState().trades)).toEqual(["1", "2"]));
    expect(count("GET /api/v1/gates")).toBe(1);

    // While the channel is down, trade 1 closes and trade 2 leaves the recent list entirely.
    server.open = [];
    server.recent = [trade(1, "closed")];
    server.prices = { EURUSD: { symbol: "EURUSD", bid: 1.1, ask: 1.1002, time: "2026-01-05T10:00:05.15Z" } };
    FakeSocket.all[0]!.close();
    expect(useLive.getState().status).toBe("closed");

    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(2), { timeout: 3000 });
    const second = FakeSocket.all[1]!;
    expect(new URL(second.url).searchParams.get("ticket")).not.toBe(new URL(FakeSocket.all[0]!.url).searchParams.get("ticket"));
    expect(count("POST /api/v1/ws/ticket")).toBe(2);
    second.open();
    await vi.waitFor(() => expect(count("GET /api/v1/gates")).toBe(2));
    await vi.waitFor(() => expect(useLive.getState().prices.EURUSD?.bid).toBe(1.1));
    expect(useLive.getState().trades[1]?.status).toBe("closed");
    expect(useLive.getState().trades[2]).toBeUndefined();
    // The gate's server time sets the clock offset (the fake server runs a minute ahead).
    expect(useLive.getState().clockOffsetMs).toBeGreaterThan(50_000);
  });

  it("stops retrying when the ticket is refused for a signed-out session", async () => {
    globalThis.fetch = (async () => {
      requests.push("refused");
      return json({ detail: "sign in first", code: "UNAUTHENTICATED" }, 401);
    }) as typeof fetch;
    useLive.getState().connect();
    await vi.waitFor(() => expect(useLive.getState().status).toBe("closed"));
    await new Promise((r) => setTimeout(r, 700));
    expect(FakeSocket.all).toHaveLength(0);
    expect(requests).toEqual(["refused"]);
  });

  it("keeps the newer quote when a reconnect's snapshot brings an older one", () => {
    applyEvent("price", { symbol: "EURUSD", bid: 1.2, ask: 1.2001, time: "2026-01-05T10:00:05Z" });
    // As text "…05.5Z" sorts before "…05Z"; as time it is later.
    applyEvent("price", { symbol: "EURUSD", bid: 1.3, ask: 1.3001, time: "2026-01-05T10:00:05.5Z" });
    expect(useLive.getState().prices.EURUSD?.bid).toBe(1.3);
    applyEvent("price", { symbol: "EURUSD", bid: 1.1, ask: 1.1001, time: "2026-01-05T10:00:04.9Z" });
    expect(useLive.getState().prices.EURUSD?.bid).toBe(1.3);
  });

  it("folds the channel's positions event (broker account and positions) into the account view", () => {
    useLive.setState({ account: { connection: { id: 7 } as never, account: { equity: 1 } as never, positions: [] } });
    applyEvent("positions", {
      account: { equity: 250, balance: 200 },
      positions: [
        { id: "b", symbol: "EURUSD", openedAt: "2026-01-05T10:00:02Z" },
        { id: "a", symbol: "EURUSD", openedAt: "2026-01-05T10:00:01Z" },
      ],
    });
    const s = useLive.getState();
    expect(s.account?.connection?.id).toBe(7);
    expect(s.account?.account.equity).toBe(250);
    expect(s.positions.map((p) => p.id)).toEqual(["a", "b"]);
    expect(s.account?.positions).toBe(s.positions);
  });
});

describe("mergeTrades", () => {
  it("drops a held open trade that is in neither re-fetched list and keeps closed history", () => {
    const held = { 1: trade(1, "open"), 2: trade(2, "closed"), 3: trade(3, "pending") };
    const next = mergeTrades(held, [trade(3, "open")], []);
    expect(Object.keys(next)).toEqual(["2", "3"]);
    expect(next[3]?.status).toBe("open");
  });
});

describe("isStale", () => {
  const at = Date.parse("2026-01-05T10:00:00Z");
  it("is fresh up to 5 s old by the server's clock and stale after", () => {
    expect(isStale({ time: "2026-01-05T10:00:00Z" }, at + 5_000)).toBe(false);
    expect(isStale({ time: "2026-01-05T10:00:00Z" }, at + 5_001)).toBe(true);
    expect(isStale({ time: "2026-01-05T10:00:00Z" }, at - 2_000)).toBe(false);
  });
  it("counts a missing or unreadable quote as stale", () => {
    expect(isStale(undefined, at)).toBe(true);
    expect(isStale({ time: "yesterday" }, at)).toBe(true);
  });
});
