import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { JournalScreen, MAX_NOTES, notesProblem, violationReason } from "./JournalScreen";
import { fakeApi, restoreFetch } from "./testing";
import type { ViolationRow } from "../types";

afterEach(() => {
  cleanup();
  restoreFetch();
});

const violation: ViolationRow = {
  id: 7, violation_code: "RISK_TOO_HIGH", gate: "K", level: "L2", level_number: 2, trading_day: 20261210, created_at: "2026-12-10T14:00:00Z",
  attempted_action: {}, gate_state_snapshot: {},
  gates: [
    { gate: "B", passed: true, code: "", reason: "" },
    { gate: "K", passed: false, code: "RISK_TOO_HIGH", reason: "risk 2.00% at the stop is over your 1.00%" },
  ],
};

function setup(post?: Parameters<typeof fakeApi>[0][string]) {
  const api = fakeApi({
    "GET /violations": { body: [violation] },
    "GET /patterns": { body: [] },
    "GET /reflections": { body: [] },
    ...(post ? { "POST /reflections": post } : {}),
  });
  render(<JournalScreen />);
  return api;
}

const form = () => screen.getByRole("form", { name: "Write a reflection" });
const notes = () => screen.getByLabelText("Session notes");

describe("JournalScreen", () => {
  it("lists violations with level, code and the failing gate's reason", async () => {
    setup();
    const cell = await screen.findByText("risk 2.00% at the stop is over your 1.00%");
    const tr = cell.closest("tr")!;
    expect(within(tr).getByText("L2")).toBeTruthy();
    expect(within(tr).getByText("K · RISK_TOO_HIGH")).toBeTruthy();
  });

  it("does not send an empty reflection and says why", async () => {
    const api = setup({ status: 201, body: {} });
    fireEvent.change(notes(), { target: { value: "   " } });
    fireEvent.submit(form());
    expect(await screen.findByText("Write something about your session first.")).toBeTruthy();
    expect(notes().getAttribute("aria-invalid")).toBe("true");
    expect(api.sent.filter((s) => s.method === "POST")).toEqual([]);
  });

  it("does not send a reflection over the server's limit", async () => {
    const api = setup({ status: 201, body: {} });
    fireEvent.change(notes(), { target: { value: "x".repeat(MAX_NOTES + 1) } });
    expect(screen.getByText(`Keep it to ${MAX_NOTES} characters.`)).toBeTruthy();
    fireEvent.submit(form());
    await new Promise((r) => setTimeout(r, 20));
    expect(api.sent.filter((s) => s.method === "POST")).toEqual([]);
  });

  it("sends the trimmed notes, clears the form and reads the list again", async () => {
    const api = setup({ status: 201, body: { id: 1 } });
    fireEvent.change(notes(), { target: { value: "  Waited for the signal.  " } });
    fireEvent.submit(form());
    await screen.findByText("Reflection saved.");
    expect(api.sent.find((s) => s.method === "POST")!.body).toEqual({ session_notes: "Waited for the signal." });
    expect((notes() as HTMLTextAreaElement).value).toBe("");
    expect(api.sent.filter((s) => s.path === "/reflections" && s.method === "GET").length).toBe(2);
  });

  it("shows the server's reason on the notes field", async () => {
    setup({ status: 422, body: { status: 422, title: "Unprocessable Entity", detail: "the request has invalid fields", errors: [{ field: "session_notes", reason: "between 1 and 20000 characters" }] } });
    fireEvent.change(notes(), { target: { value: "ok" } });
    fireEvent.submit(form());
    expect(await screen.findByText("between 1 and 20000 characters")).toBeTruthy();
  });

  it("checks notes as the server does", () => {
    expect(notesProblem("")).toBe("empty");
    expect(notesProblem(" \n ")).toBe("empty");
    expect(notesProblem("a")).toBeUndefined();
    expect(notesProblem("a".repeat(MAX_NOTES))).toBeUndefined();
    expect(notesProblem(` ${"a".repeat(MAX_NOTES)} `)).toBeUndefined();
    expect(notesProblem("a".repeat(MAX_NOTES + 1))).toBe("long");
    expect(violationReason({ ...violation, gates: [] })).toBe("");
  });
});
