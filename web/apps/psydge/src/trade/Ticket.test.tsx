import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { Ticket } from "./Ticket";
import { useSpecs } from "./specs";
import { useTicket } from "./ticketStore";
import { useLive } from "../live/store";
import { useSelection } from "../market/selection";
import type { CheckResult, GateResult, SymbolSpec } from "../types";

const EURUSD: SymbolSpec = {
  symbol: "EURUSD", digits: 5, tickSize: 0.00001, contractSize: 100000, minVolume: 0.01, maxVolume: 100, volumeStep: 0.01,
  baseCurrency: "EUR", profitCurrency: "USD",
};

const realFetch = globalThis.fetch;
type Sent = { method: string; path: string; body?: Record<string, unknown>; headers: Record<string, string> };
let sent: Sent[];
let checkAnswer: (body: Record<string, unknown>) => CheckResult;
let placeAnswer: () => Promise<Response>;

function json(body: unknown, status: number) {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": status >= 400 ? "application/problem+json" : "application/json" } });
}

const gates = (failing: Record<string, string> = {}): GateResult[] =>
  ["B", "C", "D", "E", "H", "K"].map((g) => ({ gate: g, passed: !failing[g], code: failing[g] ?? "OK", reason: failing[g] ? `gate ${g} refuses` : "ok" }));

function result(body: Record<string, unknown>, failing: Record<string, string> = {}): CheckResult {
  const g = gates(failing);
  return { allowed: g.every((x) => x.passed), gates: g, currency: "USD", entry_price: 1.0852, risk_minor: Math.round(Number(body.volume) * 20000), risk_pct: Number(body.volume) * 2 };
}

beforeEach(() => {
  sent = [];
  sessionStorage.clear();
  checkAnswer = (b) => result(b);
  placeAnswer = async () => json({ id: 41, status: "open", direction: "BUY" }, 201);
  globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const path = new URL(String(input), "http://psydge.localhost").pathname;
    const method = init?.method ?? "GET";
    const body = init?.body ? JSON.parse(String(init.body)) as Record<string, unknown> : undefined;
    sent.push({ method, path, body, headers: { ...(init?.headers as Record<string, string>) } });
    if (path === "/api/v1/trades/check") return json(checkAnswer(body!), 200);
    if (path === "/api/v1/trades" && method === "POST") return placeAnswer();
    return json({ code: "NOT_FOUND", detail: "not in this test" }, 404);
  }) as typeof fetch;
  useSelection.setState({ symbol: "EURUSD", timeframe: "M5" });
  useSpecs.setState({ specs: { EURUSD }, errors: {}, loading: {} });
  useLive.setState({
    prices: { EURUSD: { symbol: "EURUSD", bid: 1.085, ask: 1.0852, time: new Date().toISOString(), receivedAt: 0 } },
    account: { account: { equity: 1_000_000, balance: 1_000_000, currency: "USD" } } as never,
    gate: undefined,
  });
  useTicket.setState({ direction: "buy", stopText: "", stopInPips: false, takeProfitText: "", riskText: "0.5", volumeText: "", sizeFrom: "risk", idempotencyKey: "key-1" });
});

afterEach(() => {
  cleanup();
  globalThis.fetch = realFetch;
});

const place = () => screen.getByRole("button", { name: "Place order" });
const checks = () => sent.filter((s) => s.path === "/api/v1/trades/check");
const placements = () => sent.filter((s) => s.path === "/api/v1/trades" && s.method === "POST");

function writeTicket(stop = "1.0832", risk = "2") {
  const form = screen.getByRole("form", { name: "Order ticket" });
  fireEvent.change(within(form).getByLabelText("Stop loss"), { target: { value: stop } });
  fireEvent.change(within(form).getByLabelText("Risk %"), { target: { value: risk } });
}

async function gate(letter: string) {
  return waitFor(() => {
    const li = within(screen.getByRole("list", { name: "Gates" })).getAllByRole("listitem").find((l) => l.dataset.gate === letter);
    if (!li) throw new Error(`gate ${letter} not shown`);
    return li;
  });
}

describe("order ticket", () => {
  it("keeps Place order disabled while a gate fails, and enables it once all pass", async () => {
    checkAnswer = (b) => result(b, Number(b.volume) > 0.5 ? { K: "RISK_TOO_HIGH" } : {});
    render(<Ticket />);
    writeTicket("1.0832", "2");
    const k = await gate("K");
    expect(k.dataset.pass).toBe("false");
    expect(k.textContent).toContain("RISK_TOO_HIGH");
    expect(k.textContent).toContain("gate K refuses");
    // 2 % of 10,000.00 USD at 20 pips is 1.00 lot, computed from the specification.
    expect(checks().at(-1)?.body).toMatchObject({ volume: 1, stop_loss: 1.0832, direction: "buy", symbol: "EURUSD", timeframe: "M5" });
    expect(place()).toHaveProperty("disabled", true);

    fireEvent.change(screen.getByLabelText("Risk %"), { target: { value: "0.5" } });
    // Stale while the new check is pending: still disabled.
    expect(place()).toHaveProperty("disabled", true);
    await waitFor(() => expect(place()).toHaveProperty("disabled", false));
    expect((await gate("K")).dataset.pass).toBe("true");
    expect(checks().at(-1)?.body).toMatchObject({ volume: 0.25 });

    // A new gate status (a loss closed elsewhere, say) makes the answer stale: disabled until
    // the ticket is checked against it.
    checkAnswer = (b) => result(b, { H: "COOLDOWN_ACTIVE" });
    act(() => useLive.setState({ gate: { level: "none", cooldown_until: "2026-12-03T16:00:00Z" } as never }));
    expect(place()).toHaveProperty("disabled", true);
    await waitFor(async () => expect((await gate("H")).dataset.pass).toBe("false"));
    expect(place()).toHaveProperty("disabled", true);
  });

  it("places one order for a double click, and keeps the key for a retry until a final answer", async () => {
    let release!: (r: Response) => void;
    placeAnswer = () => new Promise<Response>((r) => (release = r));
    render(<Ticket />);
    writeTicket("1.0832", "0.5");
    await waitFor(() => expect(place()).toHaveProperty("disabled", false));

    act(() => {
      fireEvent.click(place());
      fireEvent.click(place());
    });
    fireEvent.click(place());
    expect(placements()).toHaveLength(1);
    expect(placements()[0]!.headers["Idempotency-Key"]).toBe("key-1");
    expect(placements()[0]!.body).toMatchObject({ volume: 0.25, stop_loss: 1.0832 });

    // The answer is lost: the retry carries the same key, so the server replays, never re-places.
    await act(async () => release(json({ code: "IDEMPOTENCY_IN_PROGRESS", detail: "a request with this Idempotency-Key is still being processed" }, 409)));
    expect(await screen.findByText(/still being processed/)).toBeTruthy();
    expect(useTicket.getState().idempotencyKey).toBe("key-1");
    placeAnswer = async () => json({ id: 41, status: "open", direction: "BUY" }, 201);
    await waitFor(() => expect(place()).toHaveProperty("disabled", false));
    fireEvent.click(place());
    await screen.findByText("Trade 41 is open.");
    expect(placements()).toHaveLength(2);
    expect(placements()[1]!.headers["Idempotency-Key"]).toBe("key-1");

    // A final answer spends the key: the next ticket gets a fresh one, and the stop is cleared.
    expect(useTicket.getState().idempotencyKey).not.toBe("key-1");
    expect(useTicket.getState().stopText).toBe("");
  });

  it("shows a refusal with its violation and level, and renews the spent key", async () => {
    placeAnswer = async () => json({ ...result({ volume: 0.25 }, { B: "NO_GO_SIGNAL" }), violation_id: 9, violation_code: "NO_GO_SIGNAL", level: "L1" }, 403);
    render(<Ticket />);
    writeTicket("1.0832", "0.5");
    await waitFor(() => expect(place()).toHaveProperty("disabled", false));
    fireEvent.click(place());
    const alert = await screen.findByText(/Refused by the gates: NO_GO_SIGNAL, level L1/);
    expect(alert.closest("[role=alert]")?.textContent).toContain("gate B refuses");
    expect(useTicket.getState().idempotencyKey).not.toBe("key-1");
    // The ticket is kept for the trader to correct.
    expect(useTicket.getState().stopText).toBe("1.0832");
  });

  it("keeps the ticket being written in sessionStorage, without losing the key before an answer", () => {
    render(<Ticket />);
    writeTicket("1.0832", "0.7");
    const saved = JSON.parse(sessionStorage.getItem("psydge.ticket") ?? "{}") as { state: Record<string, unknown> };
    expect(saved.state).toMatchObject({ stopText: "1.0832", riskText: "0.7", idempotencyKey: "key-1", symbol: "EURUSD", timeframe: "M5" });
  });
});
