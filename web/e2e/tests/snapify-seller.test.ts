// The seller app's story on a real alorig: a seller signs in with the code the (fake) WhatsApp
// Cloud API was asked to deliver, opens a store, adds a product with a camera photo, sees it on
// the buyer's store page, receives the order a buyer places there and moves it to shipped; then
// the network is cut while a product is saved (the server applies it, the answer is lost) and
// the queued request, sent again with the same Idempotency-Key when the network returns, leaves
// exactly one product; a product whose photo is taken offline is queued with the photo, survives
// a reload, and lands once with its photo when the network returns. axe-core checks every screen.
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { AxeBuilder } from "@axe-core/playwright";
import type { Page, Route } from "playwright-core";
import { inBrowser, startServer, waitFor, type Server } from "../harness.ts";

/** A local WhatsApp Cloud API: checks the bearer token and the message shape, keeps the texts. */
async function fakeWhatsApp(token: string) {
  const messages: { to: string; body: string }[] = [];
  const srv = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => {
      const ok = req.method === "POST" && /^\/v[\d.]+\/[^/]+\/messages$/.test(req.url ?? "") && req.headers.authorization === `Bearer ${token}`;
      let msg: { messaging_product?: string; to?: string } = {};
      try {
        msg = JSON.parse(raw) as typeof msg;
      } catch {
        // refused below
      }
      if (!ok || msg.messaging_product !== "whatsapp" || !msg.to) {
        res.writeHead(400, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ error: { message: "bad request", type: "OAuthException", code: 100 } }));
        return;
      }
      messages.push({ to: msg.to, body: raw });
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ messaging_product: "whatsapp", contacts: [{ input: msg.to, wa_id: msg.to }], messages: [{ id: `wamid.${messages.length}` }] }));
    });
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  return {
    base, messages,
    close: () => new Promise<void>((r) => srv.close(() => r())),
    async codeFor(digits: string): Promise<string> {
      let code = "";
      await waitFor(() => {
        const m = [...messages].reverse().find((x) => x.to.replace(/\D/g, "").endsWith(digits.slice(-10)));
        code = m ? (/\b(\d{6})\b/.exec(m.body)?.[1] ?? "") : "";
        return code !== "";
      }, 15_000, `no sign-in code was sent to ${digits}`);
      return code;
    },
  };
}

interface Finding { screen: string; rule: string; help: string; nodes: string[] }

async function audit(page: Page, screen: string, findings: Finding[]) {
  const r = await new AxeBuilder({ page }).analyze();
  for (const v of r.violations) {
    if (v.impact !== "serious" && v.impact !== "critical") continue;
    findings.push({ screen, rule: v.id, help: v.help, nodes: v.nodes.slice(0, 4).map((n) => `${n.target.join(" ")} ${n.html.slice(0, 160)}`) });
  }
}

/** A real JPEG, drawn by the browser (a phone camera's picture, smaller). */
async function jpeg(page: Page): Promise<Buffer> {
  const b64 = await page.evaluate(() => {
    const c = document.createElement("canvas");
    c.width = 2400;
    c.height = 1800;
    const g = c.getContext("2d")!;
    const grad = g.createLinearGradient(0, 0, 2400, 1800);
    grad.addColorStop(0, "#c2410c");
    grad.addColorStop(1, "#15803d");
    g.fillStyle = grad;
    g.fillRect(0, 0, 2400, 1800);
    return c.toDataURL("image/jpeg", 0.9).split(",")[1] ?? "";
  });
  return Buffer.from(b64, "base64");
}

async function signIn(page: Page, app: string, wa: Awaited<ReturnType<typeof fakeWhatsApp>>, phone: string, findings: Finding[]) {
  await page.goto(`${app}/`);
  await page.getByLabel("WhatsApp number").fill(phone);
  await audit(page, "sign-in", findings);
  await page.getByRole("button", { name: "Send code on WhatsApp" }).click();
  await page.getByLabel("Code").waitFor();
  await page.getByLabel("Code").fill(await wa.codeFor(phone));
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function addProduct(page: Page, title: string, rupees: string) {
  await page.getByRole("link", { name: "Add product" }).click();
  await page.getByLabel("Take or choose a photo").setInputFiles({ name: "camera.jpg", mimeType: "image/jpeg", buffer: await jpeg(page) });
  await page.getByRole("img", { name: "Photo 1" }).waitFor();
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Price (Rs)").fill(rupees);
  await page.getByLabel("Stock").fill("5");
  await page.getByLabel("Variants").fill("Size: S, M, L");
}

/** Sends a request the page made to the server as the browser would have, answering its status
 * (Node cannot resolve *.localhost, so it goes to the loopback address with the app's Host). */
function forward(server: Server, route: Route): Promise<number> {
  const req = route.request();
  return new Promise<number>((resolve, reject) => {
    const u = new URL(req.url());
    const r = http.request({ host: "127.0.0.1", port: server.port, method: req.method(), path: u.pathname,
      headers: { ...req.headers(), host: u.host } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    r.on("error", reject);
    r.end(req.postDataBuffer() ?? undefined);
  });
}

async function productCount(server: Server, slug: string, page: Page, title: string): Promise<number> {
  const n = await page.evaluate(async ([s, t]) => {
    const r = await fetch(`/api/v1/stores/${s}/products`);
    const j = (await r.json()) as { products: { title: string }[] };
    return j.products.filter((p) => p.title === t).length;
  }, [slug, title]);
  void server;
  return n;
}

test("snapify seller: sign in with WhatsApp, add a product with a photo, ship the buyer's order; an offline save lands once", { timeout: 300_000 }, async (t) => {
  const token = "e2e-whatsapp-token";
  const wa = await fakeWhatsApp(token);
  t.after(() => wa.close());
  const server = await startServer({
    name: "snapify-seller", apps: ["snapify"],
    env: { ALORIG_SNAPIFY_WHATSAPP_TOKEN: token, ALORIG_SNAPIFY_WHATSAPP_PHONE_NUMBER_ID: "1234567890", ALORIG_SNAPIFY_WHATSAPP_API_BASE: wa.base },
  });
  t.after(() => server.stop());
  const app = `http://app.snapify.localhost:${server.port}`;
  const buyerHost = `http://snapify.localhost:${server.port}`;
  const findings: Finding[] = [];
  const slug = `e2e-${Date.now().toString(36)}`;

  await inBrowser("snapify seller story", server, async ({ page }) => {
    page.setDefaultTimeout(20_000);
    await signIn(page, app, wa, "03001239876", findings);

    await page.getByLabel("Store name").fill("Clay Corner");
    await page.getByLabel("Store address").fill(slug);
    await page.getByRole("button", { name: "Open store" }).click();
    await page.getByRole("heading", { name: "Products" }).waitFor();
    await audit(page, "products (empty)", findings);

    await addProduct(page, "Blue clay pot", "2500");
    await audit(page, "product form", findings);
    await page.getByRole("button", { name: "Save product" }).click();
    await page.getByRole("heading", { name: /Edit Blue clay pot/ }).waitFor();
    await page.getByRole("link", { name: "Products" }).click();
    await page.getByText("Blue clay pot").waitFor();
    await audit(page, "products", findings);

    // The buyer's page on the platform host shows it, with its photo.
    const buyer = await page.context().newPage();
    await buyer.goto(`${buyerHost}/${slug}`);
    await buyer.getByText("Blue clay pot").first().waitFor();
    assert.ok(await buyer.locator("img[src*='/media/']").count() >= 1, "the store page shows the product's photo");

    // The buyer orders on the store page.
    await buyer.getByText("Blue clay pot").first().click();
    await buyer.locator("form.buy").waitFor();
    await buyer.goto(`${buyerHost}/${slug}/order?product=blue-clay-pot&qty=1&opt_size=M`);
    await buyer.locator("input[name=name]").fill("Ayesha Khan");
    await buyer.locator("input[name=phone]").fill("0321 1234567");
    await buyer.locator("[name=address]").fill("House 12, Street 4, Model Town");
    await buyer.locator("[name=city]").fill("Lahore");
    await buyer.locator("form.of button[type=submit]").click();
    await buyer.getByText("SN-1001").first().waitFor();
    await buyer.close();

    // The order reaches the seller: badge, list, detail, confirmed, shipped with tracking.
    await page.reload();
    await page.getByRole("link", { name: /Orders/ }).click();
    await page.getByText("Ayesha Khan").waitFor({ timeout: 30_000 });
    await audit(page, "orders", findings);
    await page.getByRole("link", { name: /SN-1001/ }).click();
    await page.getByRole("link", { name: "Message buyer on WhatsApp" }).waitFor();
    assert.match(await page.getByRole("link", { name: "Message buyer on WhatsApp" }).getAttribute("href") ?? "", /^https:\/\/wa\.me\/923211234567\?text=/);
    await audit(page, "order", findings);
    await page.getByRole("button", { name: "Mark confirmed" }).click();
    await page.getByLabel("Tracking number").fill("TCS-778899");
    await page.getByRole("button", { name: "Mark shipped" }).click();
    await page.getByText("Tracking number: TCS-778899").waitFor();
    assert.equal(await page.getByRole("button", { name: "Mark delivered" }).count(), 1);

    const screens: [string, string][] = [["Analytics", "Analytics"], ["Categories", "Categories"], ["Settings", "Store settings"]];
    for (const [link, heading] of screens) {
      await page.getByRole("link", { name: link, exact: true }).click();
      await page.getByRole("heading", { name: heading }).waitFor();
      await audit(page, link.toLowerCase(), findings);
    }
    // The plan: with no payment gateway configured on this server, Pro's payment buttons are
    // off and the app says why (the JazzCash and EasyPaisa flows are tested against fakes in Go).
    await page.getByText("Upgrade to Pro").waitFor();
    assert.equal(await page.getByRole("button", { name: "Pay with JazzCash" }).isDisabled(), true);
    await page.getByText(/is not set up on this server yet/).first().waitFor();

    // The service worker is installed and controls the next load.
    assert.equal(await page.evaluate(async () => !!(await navigator.serviceWorker.ready).active), true);
  }, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });

  await inBrowser("snapify seller offline", server, async ({ context, page }) => {
    page.setDefaultTimeout(20_000);
    await signIn(page, app, wa, "03001239876", findings);
    await page.getByRole("heading", { name: "Products" }).waitFor();
    await addProduct(page, "Offline lamp", "1200");

    // The save reaches the server, then the network goes: the answer never arrives.
    let cut = false;
    await page.route("**/api/v1/stores/*/products", async (route) => {
      if (cut || route.request().method() !== "POST") return route.fallback();
      cut = true;
      // Sent to the server as the browser would have (Node cannot resolve *.localhost, so
      // it goes to the loopback address with the app's Host header).
      const req = route.request();
      const status = await new Promise<number>((resolve, reject) => {
        const u = new URL(req.url());
        const r = http.request({ host: "127.0.0.1", port: server.port, method: "POST", path: u.pathname,
          headers: { ...req.headers(), host: u.host } }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        });
        r.on("error", reject);
        r.end(req.postDataBuffer() ?? undefined);
      });
      assert.equal(status, 201, "the first save was applied by the server");
      await context.setOffline(true);
      await route.abort("internetdisconnected");
    });
    await page.getByRole("button", { name: "Save product" }).click();
    await page.getByRole("region", { name: /Waiting to send/ }).getByText("New product: Offline lamp").waitFor();
    await page.getByText("You are offline").waitFor();
    await audit(page, "queue", findings);
    await page.unroute("**/api/v1/stores/*/products");

    await context.setOffline(false);
    await page.getByRole("region", { name: /Waiting to send/ }).waitFor({ state: "detached", timeout: 30_000 });
    await page.getByText("Offline lamp").waitFor();
    assert.equal(await productCount(server, slug, page, "Offline lamp"), 1, "the replayed save made exactly one product");

    // A product with a photo taken while offline: the resized photo waits in the form, then in the
    // queue with its thumbnail and size, survives a reload, and when the network returns is
    // uploaded before the product is created with it; the first answers of the upload and of the
    // creation are lost on the way, and still there is one product, with its one photo.
    await page.evaluate(async () => void (await navigator.serviceWorker.ready));
    const photo = await jpeg(page);
    await context.setOffline(true);
    await page.getByRole("link", { name: "Add product" }).click();
    await page.getByLabel("Take or choose a photo").setInputFiles({ name: "camera.jpg", mimeType: "image/jpeg", buffer: photo });
    await page.getByText(/Waiting to upload, \d+ KB/).waitFor();
    await page.getByRole("img", { name: "Photo 1", exact: true }).waitFor();
    await page.getByLabel("Title").fill("Offline vase");
    await page.getByLabel("Price (Rs)").fill("1800");
    await audit(page, "product form with a photo waiting", findings);
    await page.getByRole("button", { name: "Save product" }).click();
    const queue = page.getByRole("region", { name: /Waiting to send/ });
    await queue.getByText("New product: Offline vase").waitFor();
    await queue.getByRole("img", { name: /^Photo 1, \d+ KB$/ }).waitFor();
    await audit(page, "queue with a photo", findings);

    await page.reload(); // offline: the service worker's shell, the queue from localStorage, the photo from IndexedDB
    await queue.getByText("New product: Offline vase").waitFor();
    assert.match(await queue.getByRole("img", { name: /^Photo 1, \d+ KB$/ }).getAttribute("src") ?? "", /^blob:/, "the queued photo is read back from the phone");

    const lost = { images: 0, products: 0 };
    const loseFirstAnswer = (what: "images" | "products") => async (route: Route) => {
      if (lost[what] > 0 || route.request().method() !== "POST") return route.fallback();
      lost[what]++;
      assert.equal(await forward(server, route), 201, `the first ${what} request was applied by the server`);
      await route.abort("internetdisconnected");
    };
    await page.route("**/api/v1/stores/*/images", loseFirstAnswer("images"));
    await page.route("**/api/v1/stores/*/products", loseFirstAnswer("products"));
    await context.setOffline(false);
    await queue.waitFor({ state: "detached", timeout: 90_000 });
    assert.deepEqual(lost, { images: 1, products: 1 }, "both first answers were lost on the way");
    const made = await page.evaluate(async (s) => {
      const r = await fetch(`/api/v1/stores/${s}/products`);
      const j = (await r.json()) as { products: { title: string; images: { hash: string }[] }[] };
      return j.products.filter((p) => p.title === "Offline vase").map((p) => p.images.length);
    }, slug);
    assert.deepEqual(made, [1], "one product, with its one photo");
    await page.unrouteAll({ behavior: "ignoreErrors" });
  }, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });

  assert.equal(findings.length, 0, `axe found serious or critical violations:\n${findings.map((f) => `[${f.screen}] ${f.rule}: ${f.help}\n    ${f.nodes.join("\n    ")}`).join("\n")}`);
});
