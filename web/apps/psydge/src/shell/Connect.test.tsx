import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { ConnectBroker } from "./Connect";
import { useConnections } from "./connections";

const realFetch = globalThis.fetch;
let sent: { method: string; path: string; body?: unknown }[];
let answer: { status: number; body: unknown };

function json(body: unknown, status: number) {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": status >= 400 ? "application/problem+json" : "application/json" } });
}

// jsdom has no media queries; the theme toggle asks for the system scheme.
window.matchMedia ??= ((media: string) => ({ matches: false, media, onchange: null, addEventListener() {}, removeEventListener() {},
  addListener() {}, removeListener() {}, dispatchEvent: () => false })) as typeof window.matchMedia;

beforeEach(() => {
  sent = [];
  answer = { status: 201, body: { id: 3, broker: "metaapi", connection_status: "connected" } };
  sessionStorage.clear();
  localStorage.clear();
  globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const path = new URL(String(input), "http://psydge.localhost").pathname;
    const method = init?.method ?? "GET";
    sent.push({ method, path, body: init?.body ? JSON.parse(String(init.body)) : undefined });
    if (method === "GET") return json([], 200);
    return json(answer.body, answer.status);
  }) as typeof fetch;
});

afterEach(() => {
  cleanup();
  globalThis.fetch = realFetch;
  useConnections.getState().reset();
});

const token = "mt-token-4f1c9a";

function fillMetaApi() {
  fireEvent.change(screen.getByLabelText("MetaApi account id"), { target: { value: " acc-77 " } });
  fireEvent.change(screen.getByLabelText("MetaApi token"), { target: { value: token } });
  fireEvent.click(screen.getByRole("button", { name: "Connect MetaApi" }));
}

function nothingKeeps(secret: string) {
  expect((screen.getByLabelText("MetaApi token") as HTMLInputElement).value).toBe("");
  expect(document.body.innerHTML).not.toContain(secret);
  expect(JSON.stringify({ ...sessionStorage })).not.toContain(secret);
  expect(JSON.stringify({ ...localStorage })).not.toContain(secret);
}

describe("ConnectBroker", () => {
  it("sends the MetaApi token once and does not keep it in the form", async () => {
    let connected = 0;
    render(<ConnectBroker onConnected={() => connected++} />);
    expect(screen.getByRole("heading", { name: "Connect a broker" })).toBeTruthy();
    fillMetaApi();
    await waitFor(() => expect(connected).toBe(1));
    expect(sent[0]).toEqual({ method: "POST", path: "/api/v1/broker-connections", body: { broker: "metaapi", account_id: "acc-77", token } });
    nothingKeeps(token);
    expect((screen.getByLabelText("MetaApi account id") as HTMLInputElement).value).toBe("");
  });

  it("clears the token when the broker refuses, and shows the broker's reason", async () => {
    answer = { status: 502, body: { id: 4, broker: "metaapi", connection_status: "failed", last_error: "the account did not answer: 401 invalid token" } };
    let connected = 0;
    render(<ConnectBroker onConnected={() => connected++} />);
    fillMetaApi();
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("the account did not answer: 401 invalid token");
    expect(connected).toBe(0);
    nothingKeeps(token);
    // The account id stays, so a typo can be fixed; it is not a secret.
    expect((screen.getByLabelText("MetaApi account id") as HTMLInputElement).value).toBe(" acc-77 ");
  });

  it("shows a refusal's problem detail, e.g. a second connection", async () => {
    answer = { status: 409, body: { title: "Conflict", detail: "a broker is already connected; disconnect it first", code: "ALREADY_CONNECTED" } };
    render(<ConnectBroker onConnected={() => undefined} />);
    fireEvent.click(screen.getByRole("button", { name: "Use the paper account" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("a broker is already connected; disconnect it first");
    expect(sent[0]).toEqual({ method: "POST", path: "/api/v1/broker-connections", body: { broker: "paper", currency: "USD" } });
  });
});
