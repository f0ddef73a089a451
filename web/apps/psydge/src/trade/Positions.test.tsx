import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { Positions } from "./Positions";
import { stageOf } from "./Escalation";
import { useSpecs } from "./specs";
import { useLive } from "../live/store";
import type { GateStatus, SymbolSpec, Trade } from "../types";

const EURUSD: SymbolSpec = {
  symbol: "EURUSD", digits: 5, tickSize: 0.00001, contractSize: 100000, minVolume: 0.01, maxVolume: 100, volumeStep: 0.01,
  baseCurrency: "EUR", profitCurrency: "USD",
};
const trade = (id: number, direction: "BUY" | "SELL", entry: number, stop: number): Trade => ({
  id, symbol: "EURUSD", timeframe: "M5", direction, digits: 5, entry_points: entry, initial_sl_points: stop, sl_points: stop,
  lot_hundredths: 25, currency: "USD", risk_minor: 5000, status: "open", position_id: `p${id}`, client_id: `psy_${id}`,
} as Trade);

const realFetch = globalThis.fetch;
let sent: { method: string; path: string; body?: unknown }[];
let patchAnswer: { status: number; body: unknown };

beforeEach(() => {
  sent = [];
  patchAnswer = { status: 200, body: {} };
  globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const path = new URL(String(input), "http://psydge.localhost").pathname;
    const method = init?.method ?? "GET";
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    sent.push({ method, path, body });
    if (method === "PATCH") {
      const b = patchAnswer.status === 200 ? { ...useLive.getState().trades[Number(path.split("/").pop())], sl_points: Math.round((body as { stop_loss: number }).stop_loss * 1e5) } : patchAnswer.body;
      return new Response(JSON.stringify(b), { status: patchAnswer.status, headers: { "Content-Type": "application/json" } });
    }
    return new Response(JSON.stringify({ detail: "not in this test" }), { status: 404 });
  }) as typeof fetch;
  useSpecs.setState({ specs: { EURUSD }, errors: {}, loading: {} });
  useLive.setState({
    prices: { EURUSD: { symbol: "EURUSD", bid: 1.0862, ask: 1.0864, time: "", receivedAt: 0 } },
    account: { account: { equity: 1_000_000, currency: "USD" } } as never,
    positions: [],
    trades: { 1: trade(1, "BUY", 108500, 108300), 2: trade(2, "SELL", 108700, 108900), 3: { ...trade(3, "BUY", 108000, 107800), status: "closed" } },
  });
});

afterEach(() => {
  cleanup();
  globalThis.fetch = realFetch;
});

function row(id: number) {
  return screen.getByRole("button", { name: `Close trade ${id}` }).closest("tr")!;
}

function moveStop(id: number, price: string) {
  const r = within(row(id));
  fireEvent.change(r.getByLabelText(`New stop for trade ${id}`), { target: { value: price } });
  fireEvent.click(r.getByRole("button", { name: "Move stop" }));
}

describe("open positions", () => {
  it("lists open trades with live P/L in money and in R", () => {
    render(<Positions />);
    const table = screen.getByRole("table", { name: "Open positions" });
    expect(within(table).queryByRole("button", { name: "Close trade 3" })).toBeNull();
    // Buy from 1.08500 with the stop at 1.08300, bid 1.08620: +0.60R; 12 pips × 0.25 lot = 30.00 USD.
    const buy = row(1);
    expect(buy.textContent).toContain("+0.60R");
    expect(buy.textContent).toContain("+$30.00");
    // Sell from 1.08700 with the stop at 1.08900, ask 1.08640: +0.30R, 15.00 USD.
    expect(row(2).textContent).toContain("+0.30R");
    expect(row(2).textContent).toContain("+$15.00");
  });

  it("refuses to widen a buy's stop before sending anything, and moves it up", async () => {
    render(<Positions />);
    moveStop(1, "1.08200");
    expect((await screen.findByRole("alert")).textContent).toMatch(/may only move up/);
    expect(sent.filter((s) => s.method === "PATCH")).toHaveLength(0);
    moveStop(1, "1.08450");
    await waitFor(() => expect(sent.filter((s) => s.method === "PATCH")).toHaveLength(1));
    expect(sent.find((s) => s.method === "PATCH")).toMatchObject({ path: "/api/v1/trades/1", body: { stop_loss: 1.0845 } });
  });

  it("refuses to widen a sell's stop before sending anything, and moves it down", async () => {
    render(<Positions />);
    moveStop(2, "1.09000");
    expect((await screen.findByRole("alert")).textContent).toMatch(/may only move down/);
    moveStop(2, "1.08600"); // past the ask: the position would close at once
    expect((await screen.findByRole("alert")).textContent).toMatch(/above the current ask/);
    expect(sent.filter((s) => s.method === "PATCH")).toHaveLength(0);
    moveStop(2, "1.08800");
    await waitFor(() => expect(sent.filter((s) => s.method === "PATCH")).toHaveLength(1));
  });

  it("shows the server's STOP_WIDENED refusal with its code and level", async () => {
    patchAnswer = { status: 403, body: { title: "Forbidden", detail: "a stop-loss may only move towards the entry or beyond it into profit", code: "STOP_WIDENED", level: "L2", violation_id: 4 } };
    render(<Positions />);
    moveStop(1, "1.08400");
    expect(await screen.findByText("a stop-loss may only move towards the entry or beyond it into profit")).toBeTruthy();
    expect(row(1).nextElementSibling?.textContent).toContain("STOP_WIDENED");
    expect(row(1).nextElementSibling?.textContent).toContain("level L2");
  });
});

describe("escalation stage", () => {
  const now = Date.parse("2026-12-03T12:00:00Z");
  const g = (p: Partial<GateStatus>) => ({ level: "none", ack_pending: false, ...p }) as GateStatus;
  it("puts the session lock over the blackout, the blackout over the overlay", () => {
    expect(stageOf(undefined, now)).toEqual({ level: "none" });
    expect(stageOf(g({ ack_pending: true }), now)).toEqual({ level: "L2" });
    expect(stageOf(g({ ack_pending: true, blackout_until: "2026-12-03T12:30:00Z" }), now)).toEqual({ level: "L3", until: now + 30 * 60_000, ackPending: true });
    expect(stageOf(g({ blackout_until: "2026-12-03T11:59:59Z" }), now)).toEqual({ level: "none" });
    expect(stageOf(g({ blackout_until: "2026-12-03T12:30:00Z", session_locked_until: "2026-12-03T22:00:00Z" }), now)).toEqual({ level: "L4", until: Date.parse("2026-12-03T22:00:00Z") });
  });
});
