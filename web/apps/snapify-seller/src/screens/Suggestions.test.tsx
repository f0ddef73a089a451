import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { useLocale } from "@alorig/ui";
import { useStores } from "../store";
import type { Product, Store } from "../types";
import { POLL_MS, RUN_WINDOW_MS, Suggestions, awaitingRun, photoSource, type Suggestion } from "./Suggestions";

// A fake server for the three suggestion endpoints, answering as content_handlers.go does:
// accept without value on an edited field is 409 FIELD_EDITED, a decided one 409
// SUGGESTION_DECIDED, and unknown body fields are refused.
interface Call { method: string; path: string; body?: unknown }
let calls: Call[] = [];
let rows: Suggestion[] = [];
let fields: Record<string, string> = {};

const problem = (status: number, code: string, detail: string) =>
  new Response(JSON.stringify({ status, code, detail, title: "Conflict" }), { status, headers: { "Content-Type": "application/problem+json" } });
const json = (v: unknown) => new Response(JSON.stringify(v), { status: 200, headers: { "Content-Type": "application/json" } });

function view(s: Suggestion): Suggestion {
  const current = fields[s.field] ?? "";
  const edited = s.status === "pending" ? current !== s.base : s.status === "applied" ? current !== s.value : false;
  return { ...s, current, edited };
}

async function serve(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const path = String(input);
  const method = init?.method ?? "GET";
  const body = typeof init?.body === "string" ? (JSON.parse(init.body) as Record<string, unknown>) : undefined;
  calls.push({ method, path, body });
  const base = "/api/v1/stores/shop/products/7/suggestions";
  if (method === "GET" && path === base) return json({ suggestions: rows.filter((r) => r.status !== "superseded").map(view) });
  const m = path.match(/^\/api\/v1\/stores\/shop\/products\/7\/suggestions\/(\d+)\/(accept|dismiss)$/);
  const row = m && rows.find((r) => r.id === Number(m[1]));
  if (method !== "POST" || !m || !row) return problem(404, "NOT_FOUND", "no such suggestion for this product");
  if (row.status !== "pending" && row.status !== "applied") return problem(409, "SUGGESTION_DECIDED", "already decided");
  if (m[2] === "accept") {
    if (body && Object.keys(body).some((k) => k !== "value")) return problem(400, "BAD_REQUEST", "unknown field");
    const value = typeof body?.value === "string" ? body.value : undefined;
    if (value === undefined && view(row).edited) {
      return problem(409, "FIELD_EDITED", "you changed this field after the suggestion was made, so it is not applied over your edit");
    }
    const v = value ?? row.value;
    fields[row.field] = v;
    Object.assign(row, { status: "accepted", value: v });
  } else {
    if (row.status === "applied" && fields[row.field] === row.value) fields[row.field] = row.base;
    row.status = "dismissed";
  }
  return json(view(row));
}

const realFetch = globalThis.fetch;
let nextID = 1;
function sg(p: Partial<Suggestion>): Suggestion {
  return {
    id: nextID++, product_id: 7, source: "0000000000000000", stage: "content", field: "title", value: "", base: "", current: "", edited: false,
    data: {}, status: "pending", provider: "offline", model: "rules", offline: true, cost_micro_usd: 0,
    created_at: "2026-12-03T10:00:00Z", updated_at: "2026-12-03T10:00:00Z", ...p,
  };
}

const old = "2026-01-01T00:00:00Z"; // long enough ago that no run is awaited
function product(p: Partial<Product> = {}): Product {
  return { id: 7, title: fields.title ?? "", description: fields.description ?? "", images: [], updated_at: old, ...p } as unknown as Product;
}

beforeEach(() => {
  calls = [];
  rows = [];
  fields = {};
  globalThis.fetch = serve as typeof fetch;
  useStores.setState({ current: { id: 1, slug: "shop" } as unknown as Store });
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  globalThis.fetch = realFetch;
  act(() => useLocale.getState().setLocale("en"));
});

const posts = () => calls.filter((c) => c.method === "POST");

describe("the product editor's suggestions", () => {
  it("shows the suggestion beside the seller's text and accepts it as it is", async () => {
    fields = { title: "kurta" };
    rows = [sg({ field: "title", value: "Blue cotton kurta", base: "kurta" })];
    const applied = vi.fn();
    render(<Suggestions product={product({ images: [{ hash: "ph0" }] as Product["images"] })} onApplied={applied} />);
    const card = within(await screen.findByRole("list", { name: "Suggestions" })).getByRole("listitem");
    expect(within(card).getByText("Yours now").nextElementSibling!.textContent).toBe("kurta");
    expect(within(card).getByText("Suggested").nextElementSibling!.textContent).toBe("Blue cotton kurta");
    expect(within(card).getByText("Blue cotton kurta").getAttribute("dir")).toBe("auto");
    fireEvent.click(within(card).getByRole("button", { name: "Accept" }));
    await waitFor(() => expect(applied).toHaveBeenCalledWith("title", "Blue cotton kurta"));
    expect(posts()).toEqual([{ method: "POST", path: `/api/v1/stores/shop/products/7/suggestions/${rows[0]!.id}/accept`, body: {} }]);
    expect(fields.title).toBe("Blue cotton kurta");
    // Decided, it leaves the list of suggestions to act on.
    await waitFor(() => expect(screen.queryByRole("list", { name: "Suggestions" })).toBeNull());
    expect(screen.getByText("No suggestions waiting.")).toBeTruthy();
  });

  it("says clearly when the seller changed the field since, and applies the seller's edited text instead", async () => {
    fields = { description: "My own words about it" };
    rows = [sg({ field: "description", value: "Soft lawn suit.\n\n• Colour: blue", base: "" })];
    const applied = vi.fn();
    render(<Suggestions product={product()} onApplied={applied} />);
    const card = within(await screen.findByRole("list", { name: "Suggestions" })).getByRole("listitem");
    // The list already says so; the server refuses the accept all the same.
    expect(within(card).getByText("You changed this field after the suggestion was made.")).toBeTruthy();
    fireEvent.click(within(card).getByRole("button", { name: "Accept" }));
    const alert = await within(card).findByRole("alert");
    expect(alert.textContent).toMatch(/^Not applied: you changed this field/);
    expect(applied).not.toHaveBeenCalled();
    expect(fields.description).toBe("My own words about it");
    // The refusal opens the editor with the suggestion's text, to edit and accept.
    const box = within(card).getByLabelText("Your text for the Description") as HTMLTextAreaElement;
    expect(box.value).toBe("Soft lawn suit.\n\n• Colour: blue");
    fireEvent.change(box, { target: { value: "My own words about it. Soft lawn suit." } });
    fireEvent.click(within(card).getByRole("button", { name: "Accept edited text" }));
    await waitFor(() => expect(applied).toHaveBeenCalledWith("description", "My own words about it. Soft lawn suit."));
    expect(posts().map((c) => c.body)).toEqual([{}, { value: "My own words about it. Soft lawn suit." }]);
    expect(fields.description).toBe("My own words about it. Soft lawn suit.");
  });

  it("dismisses text the pipeline filled in, and the form gets the empty field back", async () => {
    fields = { seo_title: "Kurta | Shop" };
    rows = [sg({ stage: "seo", field: "seo_title", value: "Kurta | Shop", base: "", status: "applied" })];
    const applied = vi.fn();
    render(<Suggestions product={product()} onApplied={applied} />);
    const card = within(await screen.findByRole("list", { name: "Suggestions" })).getByRole("listitem");
    expect(within(card).getByText("filled in for you")).toBeTruthy();
    fireEvent.click(within(card).getByRole("button", { name: "Dismiss" }));
    await waitFor(() => expect(applied).toHaveBeenCalledWith("seo_title", ""));
    expect(posts()[0]!.path).toMatch(/\/dismiss$/);
    expect(fields.seo_title).toBe("");
  });

  it("shows a failed stage with its reason and the seller's text kept, with nothing to accept", async () => {
    fields = { title: "kurta" };
    rows = [sg({ field: "title", status: "failed", error: "the model's answer did not match the schema" })];
    render(<Suggestions product={product()} />);
    const card = within(await screen.findByRole("list", { name: "Suggestions" })).getByRole("listitem");
    expect(card.textContent).toMatch(/could not be made \(the model's answer did not match the schema\)\. Your own text stays/);
    expect(within(card).queryByRole("button", { name: "Accept" })).toBeNull();
    expect(within(card).getByRole("button", { name: "Dismiss" })).toBeTruthy();
  });

  it("lists what the AI only found: the photo's attributes, keywords and the social post", async () => {
    rows = [
      sg({ stage: "analysis", field: "attributes", status: "info", data: { category: "clothing", colour: "blue", material: "cotton", style: "casual" } }),
      sg({ stage: "seo", field: "seo", status: "info", data: { keywords: ["blue kurta", "lahore"] } }),
      sg({ stage: "social", field: "social", status: "info", value: "Blue kurta, Rs 2,500 #kurta", data: { image_url: "/media/s/1/social/7-ab.jpg" } }),
    ];
    render(<Suggestions product={product()} />);
    const found = await screen.findByText("What the AI found");
    const box = found.closest("details")!;
    expect(box.textContent).toContain("category: clothing · colour: blue · material: cotton · style: casual");
    expect(box.textContent).toContain("blue kurta, lahore");
    expect(within(box).getByRole("img", { hidden: true }).getAttribute("src")).toBe("/media/s/1/social/7-ab.jpg");
  });

  it("speaks Urdu, with the AI's and the seller's text set to their own direction", async () => {
    act(() => useLocale.getState().setLocale("ur"));
    fields = { title: "کرتا" };
    rows = [sg({ field: "title", value: "نیلا سوتی کرتا", base: "کرتا" })];
    render(<Suggestions product={product()} />);
    const card = within(await screen.findByRole("list", { name: "تجاویز" })).getByRole("listitem");
    expect(within(card).getByRole("button", { name: "قبول کریں" })).toBeTruthy();
    expect(within(card).getByRole("button", { name: "رد کریں" })).toBeTruthy();
    expect(within(card).getByText("نیلا سوتی کرتا").getAttribute("dir")).toBe("auto");
  });
});

describe("waiting for the pipeline's run", () => {
  it("names a photo's run as the server does (content_jobs.go contentSource)", async () => {
    // sha256("c1 3f2a9c")[:8] in hex, computed outside the app.
    expect(await photoSource("3f2a9c")).toBe("436e322a3cb6fcd6");
  });

  it("awaits a run only for a recently changed product with a photo and no rows from it", () => {
    const now = Date.parse("2026-12-03T10:05:00Z");
    const p = { images: [{ hash: "h" }] as Product["images"], updated_at: "2026-12-03T10:04:00Z" };
    expect(awaitingRun(p, [], "src", now)).toBe(true);
    expect(awaitingRun(p, [sg({ source: "src" })], "src", now)).toBe(false);
    expect(awaitingRun(p, [sg({ source: "older" })], "src", now)).toBe(true);
    expect(awaitingRun({ ...p, images: [] }, [], "src", now)).toBe(false);
    expect(awaitingRun(p, [], "src", Date.parse(p.updated_at) + RUN_WINDOW_MS + 1)).toBe(false);
    // A run with a voice note has another source; its transcript, newer than the change, marks it.
    expect(awaitingRun(p, [sg({ source: "voice", field: "transcript", status: "info", created_at: "2026-12-03T10:04:30Z" })], "src", now)).toBe(false);
  });

  it("asks again every 5 seconds until the photo's run is there, then stops", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const source = await photoSource("ph1");
    fields = { title: "kurta" };
    render(<Suggestions product={product({ images: [{ hash: "ph1" }] as Product["images"], updated_at: new Date().toISOString() })} />);
    await screen.findByText(/^Writing suggestions from your photo/);
    const gets = () => calls.filter((c) => c.method === "GET").length;
    expect(gets()).toBe(1);
    await act(() => vi.advanceTimersByTimeAsync(POLL_MS));
    expect(gets()).toBe(2);
    rows = [sg({ source, field: "title", value: "Blue cotton kurta", base: "kurta" })];
    await act(() => vi.advanceTimersByTimeAsync(POLL_MS));
    expect(gets()).toBe(3);
    await screen.findByRole("list", { name: "Suggestions" });
    expect(screen.queryByText(/^Writing suggestions/)).toBeNull();
    await act(() => vi.advanceTimersByTimeAsync(POLL_MS * 4));
    expect(gets()).toBe(3);
  });
});
