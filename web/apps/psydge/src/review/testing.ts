// A fake of the Psydge API for the review screens' component tests: answers by method and path
// with JSON or problem+json, and records what each request sent.
import { vi } from "vitest";

export interface Sent {
  method: string;
  path: string;
  body?: unknown;
}

type Answer = { status?: number; body: unknown } | ((body: unknown) => { status?: number; body: unknown });

const realFetch = globalThis.fetch;

/** Puts the real fetch back after a test. */
export function restoreFetch() {
  globalThis.fetch = realFetch;
}

export function fakeApi(routes: Record<string, Answer>) {
  const sent: Sent[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), "http://psydge.localhost");
    const method = init?.method ?? "GET";
    const path = url.pathname.replace(/^\/api\/v1/, "");
    const body = typeof init?.body === "string" ? (JSON.parse(init.body) as unknown) : undefined;
    sent.push({ method, path, body });
    const route = routes[`${method} ${path}`];
    if (!route) return new Response(JSON.stringify({ status: 404, title: "Not Found", detail: `no route ${method} ${path}` }), { status: 404, headers: { "Content-Type": "application/problem+json" } });
    const a = typeof route === "function" ? route(body) : route;
    const status = a.status ?? 200;
    return new Response(JSON.stringify(a.body), { status, headers: { "Content-Type": status >= 400 ? "application/problem+json" : "application/json" } });
  });
  globalThis.fetch = fn as typeof fetch;
  return { sent, fn };
}
