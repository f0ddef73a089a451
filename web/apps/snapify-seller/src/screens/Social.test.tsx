import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { useLocale } from "@alorig/ui";
import type { components } from "@alorig/api/snapify";
import { sellerMessages } from "../messages";
import { useStores } from "../store";
import type { Store } from "../types";
import { Social, type SocialPost } from "./Social";

type SocialSettings = components["schemas"]["socialSettings"];

// A fake server for /stores/shop/social, answering as social_handlers.go and
// social_connection.go do: a Free store is 403 PRO_REQUIRED on every route, the connect body is
// decoded strictly, a token Meta refuses is 422 META_REFUSED naming the field, and only a
// queued post can be cancelled (409 POST_NOT_QUEUED otherwise).
interface Call { method: string; path: string; body?: Record<string, unknown> }
let calls: Call[] = [];
let pro = true;
let settings: SocialSettings;
let posts: SocialPost[] = [];
let goodToken = "EAAGood0123456789abcdef";

const problem = (status: number, code: string, detail: string, errors?: { field: string; reason: string }[]) =>
  new Response(JSON.stringify({ status, code, detail, title: "Refused", errors }), { status, headers: { "Content-Type": "application/problem+json" } });
const json = (v: unknown) => new Response(JSON.stringify(v), { status: 200, headers: { "Content-Type": "application/json" } });
const none = () => new Response(null, { status: 204 });

async function serve(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const url = new URL(String(input), "http://x");
  const method = init?.method ?? "GET";
  const body = typeof init?.body === "string" ? (JSON.parse(init.body) as Record<string, unknown>) : undefined;
  calls.push({ method, path: url.pathname + url.search, body });
  const base = "/api/v1/stores/shop/social";
  if (!url.pathname.startsWith(base)) return problem(404, "NOT_FOUND", "no such store");
  if (!pro) return problem(403, "PRO_REQUIRED", "social posting is for Pro stores");
  if (url.pathname === base) {
    if (method === "GET") return json(settings);
    if (method === "DELETE") {
      settings = { ...settings, connection: null };
      return none();
    }
    if (method === "PUT") {
      const allowed = ["page_id", "page_access_token", "instagram_user_id"];
      if (!body || Object.keys(body).some((k) => !allowed.includes(k))) return problem(400, "BAD_REQUEST", "unknown field");
      if (body.page_access_token !== goodToken) {
        return problem(422, "META_REFUSED", "the request has invalid fields", [
          { field: "page_access_token", reason: "Meta refused the token: Error validating access token: Session has expired (code 190)" },
        ]);
      }
      settings = {
        ...settings,
        connection: {
          page_id: String(body.page_id), page_name: "Ayesha Lawn", instagram_user_id: body.instagram_user_id as string | undefined,
          instagram_username: body.instagram_user_id ? "ayesha.lawn" : undefined, status: "connected",
          connected_at: "2026-12-03T10:00:00Z", updated_at: "2026-12-03T10:00:00Z",
        },
      };
      return json(settings);
    }
  }
  if (method === "GET" && url.pathname === `${base}/posts`) return json({ page: Number(url.searchParams.get("page") ?? 1), posts, total: posts.length });
  const m = url.pathname.match(/^\/api\/v1\/stores\/shop\/social\/posts\/(\d+)$/);
  const post = m && posts.find((p) => p.id === Number(m[1]));
  if (method === "DELETE" && post) {
    if (post.status !== "queued") return problem(409, "POST_NOT_QUEUED", "the post is no longer queued");
    post.status = "cancelled";
    return none();
  }
  return problem(404, "NOT_FOUND", "not found");
}

function post(p: Partial<SocialPost>): SocialPost {
  return {
    id: 1, product_id: 7, caption: "Blue lawn suit, Rs 4,500 #lawn", image_url: "https://cdn.example.pk/s/1/social/7.jpg", platforms: [],
    metrics: {}, status: "queued", scheduled_at: "2026-12-03T11:00:00Z", created_at: "2026-12-03T10:00:00Z", updated_at: "2026-12-03T10:00:00Z", ...p,
  };
}

const realFetch = globalThis.fetch;
beforeEach(() => {
  calls = [];
  pro = true;
  posts = [];
  goodToken = "EAAGood0123456789abcdef";
  settings = { connection: null, images_ready: true, posts_per_day: 3 };
  globalThis.fetch = serve as typeof fetch;
  useStores.setState({ current: { id: 1, slug: "shop" } as unknown as Store });
});

afterEach(() => {
  cleanup();
  globalThis.fetch = realFetch;
  act(() => useLocale.getState().setLocale("en"));
});

const row = (label: string) => screen.getByText(label, { selector: "dt" }).nextElementSibling!.textContent;

describe("the Social screen", () => {
  it("shows the connected Page and Instagram account and the posts with each platform's outcome and metrics", async () => {
    settings.connection = {
      page_id: "1234567890", page_name: "Ayesha Lawn", instagram_user_id: "17841400000000000", instagram_username: "ayesha.lawn",
      status: "connected", connected_at: "2026-12-01T10:00:00Z", updated_at: "2026-12-01T10:00:00Z",
    };
    posts = [
      post({ id: 3, status: "queued" }),
      post({
        id: 2, status: "partial", platforms: ["facebook", "instagram"], caption: "Red kurta #kurta",
        facebook_post_id: "1234567890_55", facebook_published_at: "2026-12-02T09:00:00Z", instagram_error: "The aspect ratio is not supported.",
        metrics: { facebook: { likes: 12, comments: 3, shares: 1 } },
      }),
      post({
        id: 1, status: "published", platforms: ["facebook", "instagram"], caption: "Green dupatta",
        facebook_published_at: "2026-12-01T09:00:00Z", instagram_published_at: "2026-12-01T09:01:00Z",
        metrics: { facebook: { likes: 4, comments: 0, shares: 0 }, instagram: { likes: 40, reach: 900, views: 1200 } },
      }),
    ];
    render(<Social />);
    await screen.findByText("Ayesha Lawn");
    expect(row("Instagram")).toBe("@ayesha.lawn");
    expect(row("Status")).toBe("connected");
    expect(screen.queryByRole("alert")).toBeNull();
    expect(document.body.textContent).toMatch(/at most 3 posts a day/);
    const list = await screen.findByRole("list", { name: "Posts" });
    const items = within(list).getAllByRole("listitem").filter((li) => li.parentElement === list);
    expect(items).toHaveLength(3);
    expect(items[0]!.textContent).toMatch(/queued.*goes out after/);
    expect(within(items[0]!).getByRole("button", { name: "Cancel this post" })).toBeTruthy();
    const partial = within(items[1]!);
    expect(partial.getByText("Red kurta #kurta").getAttribute("dir")).toBe("auto");
    expect(partial.getByText("partly published")).toBeTruthy();
    const platforms = partial.getByRole("list", { name: "Where it goes" }).textContent!;
    expect(platforms).toMatch(/Facebook: published .*likes 12 · comments 3 · shares 1/);
    expect(platforms).toMatch(/Instagram: refused.*The aspect ratio is not supported\./);
    expect(partial.queryByRole("button", { name: "Cancel this post" })).toBeNull();
    expect(within(items[2]!).getByRole("list", { name: "Where it goes" }).textContent).toMatch(/likes 40 · reach 900 · views 1,200/);
  });

  it("says plainly when the Page needs reconnecting, why, and what to do, with the form to do it", async () => {
    settings.connection = {
      page_id: "1234567890", page_name: "Ayesha Lawn", status: "needs_reconnect", last_error: "Error validating access token: Session has expired",
      connected_at: "2026-11-01T10:00:00Z", updated_at: "2026-12-02T10:00:00Z",
    };
    render(<Social />);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Meta no longer accepts the token, so nothing is being posted.");
    expect(alert.textContent).toContain("Meta said: Error validating access token: Session has expired");
    expect(alert.textContent).toContain("connect again below");
    expect(row("Status")).toBe("needs reconnecting");
    expect(row("Instagram")).toBe("not connected (Facebook only)");
    fireEvent.change(screen.getByLabelText("Facebook Page id"), { target: { value: "1234567890" } });
    fireEvent.change(screen.getByLabelText("Page access token"), { target: { value: goodToken } });
    fireEvent.click(screen.getByRole("button", { name: "Connect" }));
    await waitFor(() => expect(row("Status")).toBe("connected"));
    expect(screen.queryByRole("alert")).toBeNull();
    expect(calls.find((c) => c.method === "PUT")!.body).toEqual({ page_id: "1234567890", page_access_token: goodToken });
  });

  it("tells a Free store that social posting is Pro, links to the Plan and shows no form", async () => {
    pro = false;
    render(<Social />);
    expect(await screen.findByText(/is a Pro feature/)).toBeTruthy();
    const link = screen.getByRole("link", { name: "See the Plan" });
    expect(link.getAttribute("href")).toMatch(/\/settings$/);
    expect(screen.queryByLabelText("Page access token")).toBeNull();
    expect(screen.queryByRole("alert")).toBeNull();
    expect(calls.map((c) => c.method)).toEqual(["GET"]);
  });

  it("empties the token box as the request goes, and shows Meta's refusal against the token field", async () => {
    const stored = { local: { ...localStorage }, session: { ...sessionStorage } };
    render(<Social />);
    await screen.findByText("Connect your Facebook Page");
    const token = screen.getByLabelText("Page access token") as HTMLInputElement;
    expect(token.type).toBe("password");
    fireEvent.change(screen.getByLabelText("Facebook Page id"), { target: { value: "1234567890" } });
    fireEvent.change(screen.getByLabelText("Instagram account id (optional)"), { target: { value: "17841400000000000" } });
    fireEvent.change(token, { target: { value: "EAAExpired0123456789abc" } });
    fireEvent.click(screen.getByRole("button", { name: "Connect" }));
    expect(token.value).toBe(""); // cleared at once, before the answer
    await waitFor(() => expect(token.getAttribute("aria-invalid")).toBe("true"));
    const reason = document.getElementById(token.getAttribute("aria-describedby")!.split(" ").find((id) => id.endsWith("-err"))!)!;
    expect(reason.textContent).toBe("Meta refused the token: Error validating access token: Session has expired (code 190)");
    expect(screen.getByRole("alert").textContent).toMatch(/^Meta refused this/);
    expect(calls.find((c) => c.method === "PUT")!.body).toEqual({
      page_id: "1234567890", instagram_user_id: "17841400000000000", page_access_token: "EAAExpired0123456789abc",
    });
    // The ids stay for another try; the token was never written to the browser's storage.
    expect((screen.getByLabelText("Facebook Page id") as HTMLInputElement).value).toBe("1234567890");
    expect({ local: { ...localStorage }, session: { ...sessionStorage } }).toEqual(stored);
    expect(JSON.stringify(stored)).not.toContain("EAAExpired");
  });

  it("cancels a queued post, and disconnects only after confirming", async () => {
    settings.connection = {
      page_id: "1234567890", page_name: "Ayesha Lawn", status: "connected", connected_at: "2026-12-01T10:00:00Z", updated_at: "2026-12-01T10:00:00Z",
    };
    posts = [post({ id: 9, status: "queued" })];
    render(<Social />);
    const list = await screen.findByRole("list", { name: "Posts" });
    fireEvent.click(within(list).getByRole("button", { name: "Cancel this post" }));
    await waitFor(() => expect(within(list).getByText("cancelled")).toBeTruthy());
    expect(calls.filter((c) => c.method === "DELETE").map((c) => c.path)).toEqual(["/api/v1/stores/shop/social/posts/9"]);
    expect(within(list).queryByRole("button", { name: "Cancel this post" })).toBeNull();

    fireEvent.click(screen.getByRole("button", { name: "Disconnect" }));
    expect(calls.filter((c) => c.method === "DELETE")).toHaveLength(1);
    fireEvent.click(screen.getByRole("button", { name: "Keep connected" }));
    fireEvent.click(screen.getByRole("button", { name: "Disconnect" }));
    fireEvent.click(screen.getByRole("button", { name: "Yes, disconnect" }));
    await screen.findByText("Connect your Facebook Page");
    expect(calls.filter((c) => c.method === "DELETE").map((c) => c.path)).toEqual(["/api/v1/stores/shop/social/posts/9", "/api/v1/stores/shop/social"]);
  });

  it("says so when a post moved on before the cancel arrived", async () => {
    settings.connection = {
      page_id: "1234567890", page_name: "Ayesha Lawn", status: "connected", connected_at: "2026-12-01T10:00:00Z", updated_at: "2026-12-01T10:00:00Z",
    };
    posts = [post({ id: 9, status: "queued" })];
    render(<Social />);
    const list = await screen.findByRole("list", { name: "Posts" });
    posts[0]!.status = "publishing";
    fireEvent.click(within(list).getByRole("button", { name: "Cancel this post" }));
    await waitFor(() => expect(within(list).getByText("publishing")).toBeTruthy());
    expect(within(list).getByRole("alert").textContent).toBe("This post is already being published and cannot be cancelled now.");
    expect(within(list).queryByRole("button", { name: "Cancel this post" })).toBeNull();
  });

  it("speaks Urdu, with every social word translated", async () => {
    const en = Object.keys(sellerMessages.en!).filter((k) => k.startsWith("social.") || k === "nav.social");
    const ur = new Set(Object.keys(sellerMessages.ur!));
    expect(en.length).toBeGreaterThan(40);
    expect(en.filter((k) => !ur.has(k))).toEqual([]);
    act(() => useLocale.getState().setLocale("ur"));
    pro = false;
    render(<Social />);
    expect(await screen.findByRole("link", { name: "پلان دیکھیں" })).toBeTruthy();
  });
});
