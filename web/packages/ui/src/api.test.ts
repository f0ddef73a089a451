import { describe, expect, it, vi } from "vitest";
import { ApiError, createClient, NetworkError } from "./api";

function fakeFetch(status: number, body: unknown, contentType = "application/problem+json") {
  return vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) =>
    new Response(typeof body === "string" ? body : JSON.stringify(body), { status, headers: { "Content-Type": contentType } }));
}

describe("api client", () => {
  it("sends the CSRF cookie as a header on unsafe methods only", async () => {
    document.cookie = "psydge_csrf=tok%2B1";
    const f = fakeFetch(200, { ok: true });
    const c = createClient({ base: "/api/v1", csrfCookie: "psydge_csrf", fetch: f });
    await c.get("/things", { a: 1, skip: undefined });
    await c.post("/things", { x: 1 });
    const [getUrl, getInit] = f.mock.calls[0]!;
    expect(getUrl).toBe("/api/v1/things?a=1");
    expect((getInit!.headers as Record<string, string>)["X-CSRF-Token"]).toBeUndefined();
    const [, postInit] = f.mock.calls[1]!;
    expect((postInit!.headers as Record<string, string>)["X-CSRF-Token"]).toBe("tok+1");
    expect(postInit!.body).toBe('{"x":1}');
    expect(postInit!.credentials).toBe("same-origin");
  });

  it("turns problem+json into an ApiError with its fields", async () => {
    const f = fakeFetch(422, {
      title: "Unprocessable Entity", status: 422, detail: "the request has invalid fields", code: "INVALID",
      errors: [{ field: "volume", reason: "must be a number" }], request_id: "r-1",
    });
    const c = createClient({ base: "/api/v1", csrfCookie: "x", fetch: f });
    const err = await c.post("/trades", {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const a = err as ApiError;
    expect(a.status).toBe(422);
    expect(a.code).toBe("INVALID");
    expect(a.detail).toBe("the request has invalid fields");
    expect(a.field("volume")).toBe("must be a number");
    expect(a.requestId).toBe("r-1");
  });

  it("calls the unauthorized hook on 401 and keeps a non-JSON body readable", async () => {
    const hook = vi.fn();
    const c = createClient({ base: "", csrfCookie: "x", fetch: fakeFetch(401, "session expired", "text/plain"), onUnauthorized: hook });
    const err = (await c.get("/me").catch((e: unknown) => e)) as ApiError;
    expect(hook).toHaveBeenCalledOnce();
    expect(err.detail).toBe("session expired");
  });

  it("reports an unreachable server as a NetworkError", async () => {
    const c = createClient({ base: "", csrfCookie: "x", fetch: vi.fn(async () => { throw new TypeError("Failed to fetch"); }) });
    await expect(c.get("/x")).rejects.toBeInstanceOf(NetworkError);
  });
});
