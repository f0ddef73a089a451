import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { DisciplineScreen } from "./DisciplineScreen";
import { fakeApi, restoreFetch } from "./testing";
import type { Config } from "./tighten";

const locked: Config = {
  loss_lock_mr: 2000, profit_lock_mr: 3000, cooldown_minutes: 240, max_risk_bp: 100, signal_bars: 3,
  london: { enabled: true, open: 480, close: 1020 }, new_york: { enabled: true, open: 480, close: 1020 },
  whitelist: [{ symbol: "EURUSD", timeframes: ["M1", "M5", "M15", "M30", "H1", "H4", "D1"] }],
};
const current: Config = { ...locked, loss_lock_mr: 1500, cooldown_minutes: 300, max_risk_bp: 50 };

afterEach(() => {
  cleanup();
  restoreFetch();
});

async function open(put?: Parameters<typeof fakeApi>[0][string], config: Config = current) {
  const api = fakeApi({
    "GET /discipline-config": { body: { config, locked_rules: locked } },
    "GET /broker-connections": { body: [] },
    ...(put ? { "PUT /discipline-config": put } : {}),
  });
  render(<DisciplineScreen />);
  await screen.findByRole("form", { name: "Discipline config" });
  return api;
}

const save = () => screen.getByRole("button", { name: "Save stricter rules" });

describe("DisciplineScreen", () => {
  it("bounds each control by the current value in the tightening direction", async () => {
    await open();
    expect(screen.getByLabelText("Daily loss lock (R)")).toHaveProperty("max", "1.5");
    expect(screen.getByLabelText("Daily profit lock (R)")).toHaveProperty("max", "3");
    expect(screen.getByLabelText("Cooldown after a loss (minutes)")).toHaveProperty("min", "300");
    expect(screen.getByLabelText("Max risk per trade (%)")).toHaveProperty("max", "0.5");
    expect(screen.getByLabelText("GO signal lasts (bars)")).toHaveProperty("max", "3");
    expect(save()).toHaveProperty("disabled", true);
  });

  it.each([
    ["Daily loss lock (R)", "1.6"],
    ["Daily profit lock (R)", "3.5"],
    ["Cooldown after a loss (minutes)", "299"],
    ["Max risk per trade (%)", "0.75"],
    ["GO signal lasts (bars)", "4"],
  ])("will not submit a loosened %s", async (label, value) => {
    const api = await open({ body: { config: current, locked_rules: locked } });
    const input = screen.getByLabelText(label);
    fireEvent.change(input, { target: { value } });
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("That would loosen the rule; only a stricter value is allowed.")).toBeTruthy();
    expect(save()).toHaveProperty("disabled", true);
    fireEvent.submit(screen.getByRole("form", { name: "Discipline config" }));
    await new Promise((r) => setTimeout(r, 20));
    expect(api.sent.filter((s) => s.method === "PUT")).toEqual([]);
  });

  it("will not switch a session back on, widen one, or add a whitelist pair", async () => {
    await open(undefined, {
      ...current, new_york: { enabled: false, open: 480, close: 1020 }, london: { enabled: true, open: 540, close: 960 },
      whitelist: [{ symbol: "EURUSD", timeframes: ["H1"] }],
    });
    const [london, ny] = screen.getAllByRole("checkbox", { name: "Trade in this session" }) as HTMLInputElement[];
    expect(london!.disabled).toBe(false);
    expect(ny!.disabled).toBe(true);
    const opens = screen.getAllByLabelText("Opens")[0]!;
    expect(opens).toHaveProperty("min", "09:00");
    expect(opens).toHaveProperty("max", "16:00");
    fireEvent.change(opens, { target: { value: "08:30" } });
    expect(save()).toHaveProperty("disabled", true);
    // Switching the only open session off would leave none.
    fireEvent.change(opens, { target: { value: "09:00" } });
    fireEvent.click(london!);
    expect(screen.getByText("Keep at least one session on.")).toBeTruthy();
    expect(save()).toHaveProperty("disabled", true);
    expect(screen.getByRole("checkbox", { name: "EURUSD H1" })).toHaveProperty("disabled", false);
    expect(screen.getByRole("checkbox", { name: "EURUSD M5" })).toHaveProperty("disabled", true);
  });

  it("sends a tightened config and shows it saved", async () => {
    const api = await open((body) => ({ body: { config: body, locked_rules: locked } }));
    fireEvent.change(screen.getByLabelText("Daily loss lock (R)"), { target: { value: "1.2" } });
    fireEvent.change(screen.getByLabelText("Max risk per trade (%)"), { target: { value: "0.3" } });
    fireEvent.click(screen.getByRole("checkbox", { name: "EURUSD M1" }));
    expect(save()).toHaveProperty("disabled", false);
    fireEvent.click(save());
    await screen.findByText("Saved. Your stricter rules apply now.");
    const put = api.sent.find((s) => s.method === "PUT")!;
    const body = put.body as Config;
    expect(body.loss_lock_mr).toBe(1200);
    expect(body.max_risk_bp).toBe(30);
    expect(body.cooldown_minutes).toBe(300);
    expect(body.whitelist).toEqual([{ symbol: "EURUSD", timeframes: ["M5", "M15", "M30", "H1", "H4", "D1"] }]);
  });

  it("shows the server's refusal on the field it names", async () => {
    await open({
      status: 422,
      body: { status: 422, title: "Unprocessable Entity", detail: "the request has invalid fields", code: "RULE_LOCKED", rule: "loss_lock_r",
        errors: [{ field: "loss_lock_r", reason: "−1.400R is looser than your current setting −1.300R" }] },
    });
    fireEvent.change(screen.getByLabelText("Daily loss lock (R)"), { target: { value: "1.4" } });
    fireEvent.click(save());
    await waitFor(() => expect(screen.getAllByText(/looser than your current setting −1.300R/).length).toBeGreaterThan(0));
    expect(screen.getByLabelText("Daily loss lock (R)").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByRole("alert").textContent).toContain("the request has invalid fields");
  });
});
