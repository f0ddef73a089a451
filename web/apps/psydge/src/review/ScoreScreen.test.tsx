import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import { ScoreScreen } from "./ScoreScreen";
import { chronological, linePoints } from "./score";
import { fakeApi, restoreFetch } from "./testing";
import { useLive } from "../live/store";
import type { ScoreRow } from "../types";

afterEach(() => {
  cleanup();
  restoreFetch();
});

function row(date: string, b: Partial<ScoreRow["metric_breakdown"]> = {}): ScoreRow {
  const m = { rule_compliance: 25, session_discipline: 15, risk_management: 15, patience: 15, post_win_control: 15, cooldown_respect: 10, revenge_prevention: 5, ...b };
  const total = m.rule_compliance + m.session_discipline + m.risk_management + m.patience + m.post_win_control + m.cooldown_respect + m.revenge_prevention;
  return { date, score: total, metric_breakdown: { ...m, total }, created_at: `${date}T21:01:00Z` };
}

describe("ScoreScreen", () => {
  it("shows today's seven metrics with their weights, and the history chart with its table", async () => {
    const today = row("2026-12-10", { rule_compliance: 12, risk_management: 5, revenge_prevention: 0 });
    const api = fakeApi({
      "GET /scores/today": { body: today },
      "GET /scores": { body: [row("2026-12-09", { patience: 10 }), row("2026-12-08"), row("2026-12-07", { session_discipline: 0 })] },
    });
    render(<ScoreScreen />);
    expect((await screen.findByTestId("score-total")).textContent).toBe("72");
    const metrics = within(screen.getByRole("list", { name: "Score metrics" })).getAllByRole("meter");
    expect(metrics.map((m) => [m.getAttribute("aria-label"), m.getAttribute("aria-valuenow"), m.getAttribute("aria-valuemax")])).toEqual([
      ["Rule Compliance", "12", "25"],
      ["Session Discipline", "15", "15"],
      ["Risk Management", "5", "15"],
      ["Patience", "15", "15"],
      ["Post-Win Control", "15", "15"],
      ["Cooldown Respect", "10", "10"],
      ["Revenge Prevention", "0", "5"],
    ]);
    expect(screen.getByText("weight 25%")).toBeTruthy();

    const chart = await screen.findByRole("img", { name: /Daily discipline score/ });
    expect(chart.querySelectorAll("circle")).toHaveLength(3);
    const table = screen.getByRole("table", { name: "Daily discipline score" });
    const rows = within(table).getAllByRole("row").slice(1).map((r) => within(r).getAllByRole("rowheader")[0]!.textContent + " " + within(r).getAllByRole("cell")[0]!.textContent);
    expect(rows).toEqual(["2026-12-07 85", "2026-12-08 100", "2026-12-09 95"]);
    expect(api.sent.find((s) => s.path === "/scores")).toBeTruthy();
  });

  it("fetches again when a score event arrives", async () => {
    const api = fakeApi({ "GET /scores/today": { body: row("2026-12-10") }, "GET /scores": { body: [] } });
    render(<ScoreScreen />);
    await screen.findByText("No scored day yet: a day is scored when it ends at 17:00 New York.");
    const before = api.sent.filter((s) => s.path === "/scores/today").length;
    useLive.setState({ scoreVersion: useLive.getState().scoreVersion + 1 });
    await waitFor(() => expect(api.sent.filter((s) => s.path === "/scores/today").length).toBe(before + 1));
  });

  it("orders history oldest first and scales it into the box", () => {
    expect(chronological([row("2026-12-09"), row("2026-12-07"), row("2026-12-08")]).map((r) => r.date)).toEqual(["2026-12-07", "2026-12-08", "2026-12-09"]);
    expect(linePoints([0, 50, 100], 220, 120, 10)).toEqual([{ x: 10, y: 110 }, { x: 110, y: 60 }, { x: 210, y: 10 }]);
    expect(linePoints([100], 220, 120, 10)).toEqual([{ x: 110, y: 10 }]);
  });
});
