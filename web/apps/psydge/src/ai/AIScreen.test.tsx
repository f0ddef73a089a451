import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { AIScreen } from "./AIScreen";
import { fakeApi, restoreFetch } from "../review/testing";
import { applyEvent, useLive } from "../live/store";
import type { AICall, AISettingsView } from "../types";

beforeEach(() => useLive.setState({ aiMessages: [] }));
afterEach(() => {
  cleanup();
  restoreFetch();
});

const defaults: AISettingsView = {
  trade_supervisor: true, pre_entry_validator: false, behavioral_predictor: true, session_debrief: true,
  pre_entry_failure: "fail_closed", provider: "anthropic", offline: false, updated_at: "2026-12-11T09:00:00Z",
};

function call(id: number, over: Partial<AICall> = {}): AICall {
  return {
    id, role: "trade_supervisor", trigger: "tp1", trade_id: 7, output: "{}", provider: "anthropic", model: "claude-sonnet-4-6",
    input_tokens: 812, output_tokens: 64, latency_ms: 1450, attempts: 1, outcome: "ok", ephemeral: false,
    created_at: "2026-12-11T10:00:00Z",
    decision: { action: "tighten_sl", new_stop_loss: 1.085, reasoning: `call ${id}: lock in the move` },
    ...over,
  };
}

/** The query of each GET the screen sent to a path. */
function queries(fn: { mock: { calls: unknown[][] } }, path: string): Record<string, string>[] {
  return fn.mock.calls
    .map((c) => new URL(String(c[0]), "http://psydge.localhost"))
    .filter((u) => u.pathname === `/api/v1${path}`)
    .map((u) => Object.fromEntries(u.searchParams));
}

describe("AIScreen", () => {
  it("saves the switches and the failure policy with the body the API takes", async () => {
    const api = fakeApi({
      "GET /ai/settings": { body: defaults },
      "PUT /ai/settings": (body) => ({ body: { ...defaults, ...(body as object), updated_at: "2026-12-11T09:05:00Z" } }),
      "GET /ai/interactions": { body: { items: [], next_before: 0 } },
    });
    render(<AIScreen />);
    const form = await screen.findByRole("form", { name: "AI settings" });
    const save = within(form).getByRole("button", { name: "Save AI settings" });
    expect((save as HTMLButtonElement).disabled).toBe(true);
    expect((within(form).getByRole("switch", { name: "Trade supervisor" }) as HTMLInputElement).checked).toBe(true);
    const validator = within(form).getByRole("switch", { name: "Pre-entry validator" }) as HTMLInputElement;
    expect(validator.checked).toBe(false);
    expect(validator.getAttribute("aria-describedby")).toBeTruthy();
    // The explanation says the AI never places or closes: it is the switch's description.
    expect(document.getElementById(validator.getAttribute("aria-describedby")!)!.textContent).toMatch(/never bypasses a gate/);
    expect((within(form).getByRole("radio", { name: /fail closed/ }) as HTMLInputElement).checked).toBe(true);

    fireEvent.click(validator);
    fireEvent.click(within(form).getByRole("switch", { name: "Session debrief" }));
    fireEvent.click(within(form).getByRole("radio", { name: /fail open/ }));
    expect((save as HTMLButtonElement).disabled).toBe(false);
    fireEvent.submit(form);

    expect(await screen.findByText("AI settings saved.")).toBeTruthy();
    const put = api.sent.filter((s) => s.method === "PUT");
    expect(put).toHaveLength(1);
    expect(put[0]!.body).toEqual({
      trade_supervisor: true, pre_entry_validator: true, behavioral_predictor: true, session_debrief: false, pre_entry_failure: "fail_open",
    });
    // The form starts again from the answer: nothing left to save.
    const again = await screen.findByRole("form", { name: "AI settings" });
    expect((within(again).getByRole("switch", { name: "Pre-entry validator" }) as HTMLInputElement).checked).toBe(true);
    expect((within(again).getByRole("button", { name: "Save AI settings" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("shows a refusal with its reason and keeps the trader's choices", async () => {
    fakeApi({
      "GET /ai/settings": { body: defaults },
      "PUT /ai/settings": {
        // As the server answers a body its Validate refuses.
        status: 422, body: {
          status: 422, title: "Unprocessable Entity", detail: "the request has invalid fields",
          errors: [{ field: "pre_entry_failure", reason: "must be fail_closed or fail_open" }],
        },
      },
      "GET /ai/interactions": { body: { items: [], next_before: 0 } },
    });
    render(<AIScreen />);
    const form = await screen.findByRole("form", { name: "AI settings" });
    fireEvent.click(within(form).getByRole("switch", { name: "Behavioral predictor" }));
    fireEvent.submit(form);
    const alert = await within(form).findByRole("alert");
    expect(alert.textContent).toMatch(/the request has invalid fields/);
    expect(alert.textContent).toMatch(/pre_entry_failure.*must be fail_closed or fail_open/);
    expect(screen.queryByText("AI settings saved.")).toBeNull();
    expect((within(form).getByRole("switch", { name: "Behavioral predictor" }) as HTMLInputElement).checked).toBe(false);
  });

  it("says plainly when the AI is offline", async () => {
    fakeApi({
      "GET /ai/settings": { body: { ...defaults, provider: "offline", offline: true } },
      "GET /ai/interactions": { body: { items: [call(1, { provider: "offline", model: "offline-rules" })], next_before: 0 } },
    });
    render(<AIScreen />);
    const status = await screen.findByText("The AI is offline");
    expect(status.closest("[role=status]")!.getAttribute("data-ai-offline")).toBe("true");
    const list = await screen.findByRole("list", { name: "AI interactions" });
    expect(within(list).getByText("offline")).toBeTruthy();
  });

  it("pages the history with before_id, filters it by role and puts live rows on top", async () => {
    const pages: Record<string, { items: AICall[]; next_before: number }> = {
      "": { items: [call(30), call(29, { role: "pre_entry_validator", decision: { verdict: "stand_down", reasoning: "NDNS disagrees" } })], next_before: 29 },
      "29": {
        items: [call(12, {
          role: "behavioral_predictor", outcome: "timeout", decision: undefined, error: "no answer within 30s", latency_ms: 30000, attempts: 3,
        })], next_before: 0,
      },
    };
    const api = fakeApi({
      "GET /ai/settings": { body: defaults },
      "GET /ai/interactions": { body: pages[""] },
    });
    // The fake answers by path only: read the query to pick the page.
    const inner = api.fn.getMockImplementation()!;
    api.fn.mockImplementation(async (input, init) => {
      const u = new URL(String(input), "http://psydge.localhost");
      if (u.pathname !== "/api/v1/ai/interactions") return inner(input, init);
      const role = u.searchParams.get("role");
      const body = role ? { items: [call(40, { role, decision: { summary: "a calm day", insights: ["one trade, one plan"] } })], next_before: 0 }
        : pages[u.searchParams.get("before_id") ?? ""];
      return new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });
    });

    render(<AIScreen />);
    const list = await screen.findByRole("list", { name: "AI interactions" });
    expect(within(list).getAllByRole("listitem").map((li) => li.getAttribute("data-ai-interaction"))).toEqual(["30", "29"]);
    expect(within(list).getByText("Tighten the stop to 1.085")).toBeTruthy();
    expect(within(list).getByText("call 30: lock in the move")).toBeTruthy();
    expect(within(list).getByText("Stand down")).toBeTruthy();
    expect(within(list).getAllByText("anthropic · claude-sonnet-4-6")).toHaveLength(2);
    expect(within(list).getAllByText("812 in · 64 out")).toHaveLength(2);
    expect(within(list).getAllByText("1450 ms")).toHaveLength(2);
    expect(queries(api.fn, "/ai/interactions")[0]).toEqual({ limit: "20" });

    fireEvent.click(screen.getByRole("button", { name: "Show older" }));
    await waitFor(() => expect(within(list).getAllByRole("listitem")).toHaveLength(3));
    expect(queries(api.fn, "/ai/interactions")[1]).toEqual({ limit: "20", before_id: "29" });
    const failed = within(list).getAllByRole("listitem")[2]!;
    expect(failed.getAttribute("data-outcome")).toBe("timeout");
    expect(within(failed).getByText("Timed out")).toBeTruthy();
    expect(within(failed).getByText("Error: no answer within 30s")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Show older" })).toBeNull();
    expect(screen.getByText("No older interactions.")).toBeTruthy();

    // A live row newer than the first page goes on top, once.
    act(() => applyEvent("ai", call(31, { decision: { action: "exit", reasoning: "momentum is gone" } })));
    expect(within(list).getAllByRole("listitem").map((li) => li.getAttribute("data-ai-interaction"))).toEqual(["31", "30", "29", "12"]);
    expect(within(list).getByText("Exit the trade")).toBeTruthy();

    // A role filter starts again from the newest of that role.
    fireEvent.change(screen.getByRole("combobox", { name: "Role" }), { target: { value: "session_debrief" } });
    await waitFor(() => expect(screen.getByRole("list", { name: "AI interactions" }).querySelectorAll("li[data-ai-interaction]")).toHaveLength(1));
    expect(queries(api.fn, "/ai/interactions").at(-1)).toEqual({ limit: "20", role: "session_debrief" });
    expect(screen.getByText("a calm day")).toBeTruthy();
  });

  it("shows a refused history request with its reason", async () => {
    fakeApi({
      "GET /ai/settings": { body: defaults },
      "GET /ai/interactions": { status: 400, body: { status: 400, title: "Bad Request", detail: "before_id must be a positive whole number (next_before of the previous page)" } },
    });
    render(<AIScreen />);
    expect(await screen.findByText(/before_id must be a positive whole number/)).toBeTruthy();
  });
});
