import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { act, cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { AINotices } from "./AINotices";
import { readDecision } from "./decision";
import { applyEvent, useLive } from "../live/store";
import type { AICall } from "../types";

beforeEach(() => useLive.setState({ aiMessages: [] }));
afterEach(cleanup);

function row(id: number, role: string, decision: unknown, over: Partial<AICall> = {}): AICall {
  return {
    id, role, decision, output: JSON.stringify(decision), provider: "anthropic", model: "claude-sonnet-4-6",
    input_tokens: 500, output_tokens: 80, latency_ms: 900, attempts: 1, outcome: "ok", ephemeral: false,
    created_at: "2026-12-11T10:00:00Z", ...over,
  };
}

describe("the live channel's ai events", () => {
  it("are kept newest first, at most 50, the weekly report's ai_message with them", () => {
    for (let i = 1; i <= 55; i++) applyEvent("ai", row(i, "behavioral_predictor", { risk_level: "low", alerts: [], tightening: [] }));
    applyEvent("ai_message", { id: 56, role: "weekly_report", output: "Week 50: 4 trades.", created_at: "2026-12-13T10:00:00Z" });
    const kept = useLive.getState().aiMessages;
    expect(kept).toHaveLength(50);
    expect(kept.map((m) => m.id).slice(0, 3)).toEqual([56, 55, 54]);
    expect(kept.at(-1)!.id).toBe(7);
  });
});

describe("AINotices", () => {
  it("shows a live ai event as a status notice, proposals saying nothing was changed", () => {
    render(<AINotices />);
    const status = screen.getByRole("status", { name: "AI notices" });
    expect(within(status).queryAllByRole("listitem")).toHaveLength(0);

    act(() => applyEvent("ai", row(1, "trade_supervisor", { action: "tighten_sl", new_stop_loss: 1.0852, reasoning: "the trade reached +1R" }, { trade_id: 9, trigger: "r_threshold" })));
    const items = within(status).getAllByRole("listitem");
    expect(items).toHaveLength(1);
    expect(within(items[0]!).getByText("Tighten the stop to 1.0852")).toBeTruthy();
    expect(within(items[0]!).getByText("the trade reached +1R")).toBeTruthy();
    expect(within(items[0]!).getByText(/Trade supervisor/).textContent).toMatch(/Trade 9/);
    expect(within(items[0]!).getByText("A proposal: nothing has been changed.")).toBeTruthy();
    // Nothing here acts on the proposal: the only control is dismissing it.
    expect(within(items[0]!).getAllByRole("button").map((b) => b.getAttribute("aria-label"))).toEqual(["Dismiss AI notice 1"]);

    act(() => applyEvent("ai", row(2, "behavioral_predictor", {
      risk_level: "high", alerts: ["two losses in a row"], tightening: [{ rule: "max_risk_pct", value: 0.5, reasoning: "halve the risk" }],
    })));
    act(() => applyEvent("ai", row(3, "session_debrief", { summary: "Two trades, one rule broken.", insights: ["wait for the close"] })));
    const now = within(status).getAllByRole("listitem").filter((li) => li.hasAttribute("data-ai-notice"));
    expect(now.map((li) => li.getAttribute("data-ai-notice"))).toEqual(["3", "2", "1"]);
    expect(within(status).getByText("High risk")).toBeTruthy();
    expect(within(status).getByText("Risk per trade 0.5%")).toBeTruthy();
    expect(within(status).getByRole("link", { name: "Apply in Settings" })).toBeTruthy();
    expect(within(status).getByText("Two trades, one rule broken.")).toBeTruthy();
    // A debrief proposes nothing; the predictor's tightening and the supervisor's stop do.
    expect(within(status).getAllByText("A proposal: nothing has been changed.")).toHaveLength(2);
    expect(within(status).getByRole("link", { name: "AI history" })).toBeTruthy();
  });

  it("leaves out failed calls and the pre-entry validator, shows the newest three, and forgets a dismissed one", () => {
    render(<AINotices />);
    act(() => {
      applyEvent("ai", row(10, "trade_supervisor", { action: "hold", reasoning: "let it run" }));
      applyEvent("ai", row(11, "pre_entry_validator", { verdict: "stand_down", reasoning: "NDNS disagrees" }));
      applyEvent("ai", row(12, "behavioral_predictor", undefined, { outcome: "timeout", error: "no answer" }));
      applyEvent("ai", row(13, "trade_supervisor", { action: "scale", scale_out_fraction: 0.5, reasoning: "first target" }));
      applyEvent("ai", row(14, "trade_supervisor", { action: "exit", reasoning: "momentum is gone" }));
      applyEvent("ai", row(15, "trade_supervisor", { action: "hold", reasoning: "hold on" }));
    });
    const status = screen.getByRole("status", { name: "AI notices" });
    const ids = () => Array.from(status.querySelectorAll("[data-ai-notice]")).map((li) => li.getAttribute("data-ai-notice"));
    expect(ids()).toEqual(["15", "14", "13"]);
    fireEvent.click(within(status).getByRole("button", { name: "Dismiss AI notice 14" }));
    expect(ids()).toEqual(["15", "13", "10"]);
    expect(within(status).getByText("Scale out 50%")).toBeTruthy();
    expect(screen.queryByText("NDNS disagrees")).toBeNull();
  });
});

describe("readDecision", () => {
  it("reads only the shape each role's schema names", () => {
    expect(readDecision({ role: "trade_supervisor", outcome: "ok", output: "", decision: { action: "widen_sl", new_stop_loss: 1 } }).role).toBe("none");
    expect(readDecision({ role: "pre_entry_validator", outcome: "ok", output: "", decision: { verdict: "maybe" } }).role).toBe("none");
    const p = readDecision({
      role: "behavioral_predictor", outcome: "ok", output: "",
      decision: { risk_level: "elevated", alerts: ["a", 3], tightening: [{ rule: "max_risk_pct", value: 0.5 }, { rule: "whitelist", value: 1 }, { rule: "cooldown_minutes", value: "x" }] },
    });
    expect(p).toEqual({ role: "behavioral_predictor", decision: { risk_level: "elevated", alerts: ["a"], tightening: [{ rule: "max_risk_pct", value: 0.5, reasoning: "" }], dropped: [] } });
    expect(readDecision({ role: "weekly_report", outcome: "ok", output: "Week 50.", decision: undefined })).toEqual({ role: "text", text: "Week 50." });
    // The signals validator's rows answered in words, with no decision.
    expect(readDecision({ role: "pre_entry_validator", outcome: "ok", output: "approve: NDNS agrees", decision: undefined })).toEqual({ role: "text", text: "approve: NDNS agrees" });
    expect(readDecision({ role: "trade_supervisor", outcome: "timeout", output: "", decision: undefined })).toEqual({ role: "none" });
  });
});
