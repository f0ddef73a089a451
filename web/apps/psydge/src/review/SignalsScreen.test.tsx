import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { SignalsScreen } from "./SignalsScreen";
import { leave, type BillingStatus } from "./Plan";
import { fakeApi, restoreFetch } from "./testing";
import type { SignalRow } from "../types";

const realLeave = leave.to;
afterEach(() => {
  cleanup();
  restoreFetch();
  leave.to = realLeave;
});

const core: BillingStatus = {
  app: "psydge", plan: "core", status: "none", cancel_at_period_end: false, upgrade_available: true, manage_available: false, configured: true,
  plans: [{ name: "core", title: "Core", for_sale: false }, { name: "vista", title: "Vista Strategies", for_sale: true }],
};

const vistaRequired = {
  status: 403, body: { status: 403, title: "Forbidden", code: "VISTA_REQUIRED", plan: "vista",
    detail: "the Vista strategies are part of the Vista plan: subscribe with POST /api/v1/billing/checkout {\"plan\":\"vista\"}" },
};

const approval: SignalRow = {
  id: "validator_1_EURUSD_M5_1", source: "validator", symbol: "EURUSD", timeframe: "M5", direction: "BUY", entry: 0, stop: 0, target: 0, r_multiple: 0,
  indicators: {}, issued_at: new Date(Date.now() - 1000).toISOString(), valid_until: new Date(Date.now() + 600_000).toISOString(), created_at: new Date().toISOString(),
};

describe("SignalsScreen", () => {
  it("shows a Vista refusal with its reason and an upgrade that opens Checkout for the plan it names", async () => {
    const api = fakeApi({
      "GET /strategies": vistaRequired,
      "GET /signals": { body: [] },
      "GET /billing": { body: core },
      "POST /billing/checkout": { body: { url: "https://checkout.stripe.com/c/pay/cs_test_1" } },
    });
    const went = vi.fn();
    leave.to = went;
    render(<SignalsScreen />);
    expect(await screen.findByText(/the Vista strategies are part of the Vista plan/)).toBeTruthy();
    expect(screen.getByText("This needs the Vista Strategies plan.")).toBeTruthy();
    const plan = screen.getByRole("region", { name: "Your plan" });
    expect(within(plan).getByText("Core")).toBeTruthy();
    expect(within(plan).queryByRole("button", { name: "Manage plan" })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Upgrade" }));
    await waitFor(() => expect(went).toHaveBeenCalledWith("https://checkout.stripe.com/c/pay/cs_test_1"));
    expect(api.sent.find((s) => s.path === "/billing/checkout")!.body).toEqual({ plan: "vista" });
  });

  it("offers Manage plan, not Upgrade, to a subscriber", async () => {
    fakeApi({
      "GET /strategies": { body: [{ name: "scalper", title: "Scalper Engine", timeframes: ["M1", "M5"], min_r: 1.5, max_r: 2, valid_bars: 2 }] },
      "GET /signals": { body: [] },
      "GET /billing": { body: { ...core, plan: "vista", status: "active", source: "stripe", upgrade_available: false, manage_available: true } },
    });
    render(<SignalsScreen />);
    expect(await screen.findByText("Scalper Engine")).toBeTruthy();
    const plan = await screen.findByRole("region", { name: "Your plan" });
    await within(plan).findByRole("button", { name: "Manage plan" });
    expect(within(plan).queryByRole("button", { name: /Upgrade/ })).toBeNull();
  });

  it("asks the validator and shows its verdict with the reasoning", async () => {
    const api = fakeApi({
      "GET /strategies": vistaRequired,
      "GET /signals": (() => { let n = 0; return () => ({ body: n++ === 0 ? [] : [approval] }); })(),
      "GET /billing": { body: core },
      "POST /signals/validate": { status: 201, body: { verdict: "approve", reasoning: "NDNS and FHS agree with a buy", signal: approval } },
    });
    render(<SignalsScreen />);
    const form = await screen.findByRole("form", { name: "Pre-trade validator" });
    fireEvent.click(within(form).getByRole("radio", { name: "Sell" }));
    fireEvent.submit(form);
    expect(await screen.findByText("NDNS and FHS agree with a buy")).toBeTruthy();
    expect(screen.getByText("Approve")).toBeTruthy();
    expect(api.sent.find((s) => s.path === "/signals/validate")!.body).toEqual({ symbol: "EURUSD", timeframe: "M5", direction: "sell" });
    // The approval is a GO signal: the list is read again.
    await waitFor(() => expect(api.sent.filter((s) => s.path === "/signals").length).toBe(2));
    const list = await screen.findByRole("list", { name: "GO signals" });
    expect(within(list).getByText("Buy")).toBeTruthy();
    expect(within(list).getByText(/^Expires in 0:(09|10):/)).toBeTruthy();
  });
});
