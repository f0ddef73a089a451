// Snapify's admin app on a real alorig with the demo data seeded: a platform admin signs in on
// the admin host with email and password, finds a store, verifies it and suspends it with a
// reason (WhatsApp is not configured here, and the app says the seller was not told), and sees
// both actions in the audit log; the moderation queue and the metrics open too. A seller's
// session, even one opened on the admin host, cannot read admin data. axe-core checks every
// screen, in English and once in Urdu.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { AxeBuilder } from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { binary, inBrowser, startServer, type Server } from "../harness.ts";

const run = promisify(execFile);

// The seeded development admin (modules/snapify/seed.go).
const ADMIN_EMAIL = "admin@snapify.localhost";
const ADMIN_PASSWORD = "snapify-admin-dev";

interface Finding { screen: string; rule: string; help: string; nodes: string[] }

async function audit(page: Page, screen: string, findings: Finding[]) {
  const r = await new AxeBuilder({ page }).analyze();
  for (const v of r.violations) {
    if (v.impact !== "serious" && v.impact !== "critical") continue;
    findings.push({ screen, rule: v.id, help: `${v.help} (${v.helpUrl})`, nodes: v.nodes.slice(0, 4).map((n) => `${n.target.join(" ")} ${n.html.slice(0, 200)}`) });
  }
}

/** Seeds the server's own Snapify database (the harness names it after the tag in its log). */
async function seed(server: Server, mediaDir: string): Promise<void> {
  const tag = /(e2e_[0-9a-z]+_[0-9a-f]+)\.log$/.exec(server.logPath)?.[1];
  assert.ok(tag, `no database tag in ${server.logPath}`);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith("ALORIG_") && k !== "ALORIG_DATABASE_URL" && k !== "ALORIG_REDIS_URL") continue;
    env[k] = v;
  }
  Object.assign(env, {
    ALORIG_ENV: "development", ALORIG_SNAPIFY_DATABASE: `${tag}_snapify`, ALORIG_SNAPIFY_REDIS_PREFIX: `snapify:${tag}:`,
    ALORIG_SNAPIFY_MEDIA_DIR: mediaDir,
  });
  await run(binary, ["seed", "--app=snapify"], { env, timeout: 120_000 });
}

test("snapify admin: sign in, verify and suspend a store with a reason, both in the audit log; a seller cannot read admin data", { timeout: 300_000 }, async () => {
  const mediaDir = mkdtempSync(path.join(tmpdir(), "snapify-admin-e2e-"));
  const server = await startServer({ apps: ["snapify"], name: "snapify-admin", env: { ALORIG_SNAPIFY_MEDIA_DIR: mediaDir } });
  const admin = `http://admin.snapify.localhost:${server.port}`;
  const findings: Finding[] = [];
  try {
    await seed(server, mediaDir);

    await inBrowser("snapify admin story", server, async ({ page }) => {
      await page.goto(admin + "/");
      await page.getByRole("heading", { name: "Snapify admin" }).waitFor();
      await audit(page, "sign-in", findings);

      // A wrong password is refused with the server's reason.
      await page.getByLabel("Email").fill(ADMIN_EMAIL);
      await page.getByLabel("Password").fill("not the password");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("alert").filter({ hasText: "email or password is incorrect" }).waitFor();

      await page.getByLabel("Password").fill(ADMIN_PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { name: "Stores", level: 1 }).waitFor();
      await page.getByRole("status").filter({ hasText: "3 stores match" }).waitFor();
      await audit(page, "stores", findings);

      // Filter to unverified stores, then search by address.
      await page.getByLabel("Verified").selectOption("false");
      await page.getByRole("status").filter({ hasText: "1 stores match" }).waitFor();
      await page.getByLabel("Search by name or address").fill("noor");
      await page.getByRole("button", { name: "Apply" }).click();
      await page.getByRole("link", { name: "نور بوتیک" }).click();
      await page.getByRole("heading", { name: "نور بوتیک", level: 1 }).waitFor();
      await audit(page, "store detail", findings);

      // Verify: WhatsApp is not configured, and the app says the seller was not told.
      await page.getByRole("button", { name: "Verify" }).click();
      const verifyDialog = page.getByRole("dialog", { name: "Verify نور بوتیک" });
      await verifyDialog.getByLabel("Note to the seller (optional)").fill("Documents checked");
      await verifyDialog.getByRole("button", { name: "Verify" }).click();
      const done = page.getByRole("status").filter({ hasText: "verified badge set" });
      await done.waitFor();
      assert.match(await done.innerText(), /NOT told: .*WhatsApp is not configured/);

      // Suspend: the reason is required (the browser refuses an empty one, the server a short one).
      await page.getByRole("button", { name: "Suspend" }).click();
      const dialog = page.getByRole("dialog", { name: "Suspend نور بوتیک" });
      await audit(page, "suspend dialog", findings);
      await dialog.getByLabel(/Reason \(required/).fill("  ab ");
      await dialog.getByRole("button", { name: "Suspend" }).click();
      await dialog.getByRole("alert").filter({ hasText: "the request has invalid fields" }).waitFor();
      assert.match(await dialog.innerText(), /say why, in 3 to 500 characters/);
      await dialog.getByLabel(/Reason \(required/).fill("Counterfeit goods reported by buyers");
      await dialog.getByRole("button", { name: "Suspend" }).click();
      await page.getByRole("status").filter({ hasText: "suspended: its pages answer 404" }).waitFor();
      await page.getByText("Reason shown to the seller: Counterfeit goods reported by buyers").waitFor();
      await page.getByRole("button", { name: "Lift the suspension" }).waitFor();

      // The buyer's store page is gone.
      const storePage = await server.request("GET", "/noor-boutique", { headers: { Host: `snapify.localhost:${server.port}` } });
      assert.equal(storePage.status, 404);

      // Both actions are in the audit log, with the reason and what the seller was told.
      await page.getByRole("link", { name: "Audit log" }).click();
      await page.getByRole("heading", { name: "Audit log", level: 1 }).waitFor();
      const suspendRow = page.locator('tr[data-action="suspend"]');
      const verifyRow = page.locator('tr[data-action="verify"]');
      await suspendRow.waitFor();
      assert.match(await suspendRow.innerText(), /admin@snapify\.localhost[\s\S]*Suspended[\s\S]*noor-boutique[\s\S]*Counterfeit goods reported by buyers[\s\S]*Not sent/);
      assert.match(await verifyRow.innerText(), /Verified[\s\S]*noor-boutique[\s\S]*Documents checked[\s\S]*verified badge set/);
      await audit(page, "audit log", findings);

      await page.getByRole("link", { name: "Moderation" }).click();
      await page.getByRole("heading", { name: "Moderation queue" }).waitFor();
      await page.getByText("38 products").waitFor();
      await audit(page, "moderation", findings);
      await page.getByRole("button", { name: "Reject" }).first().click();
      const reject = page.getByRole("dialog");
      await reject.getByLabel(/Reason \(required/).fill("Pictures of another brand");
      await reject.getByRole("button", { name: "Reject" }).click();
      await page.getByRole("status").filter({ hasText: "blocked." }).waitFor();
      await page.getByText("37 products").waitFor();

      await page.getByRole("link", { name: "Metrics" }).click();
      await page.getByRole("heading", { name: "Platform metrics" }).waitFor();
      await page.getByRole("img", { name: /GMV by day/ }).waitFor();
      await audit(page, "metrics", findings);

      // Urdu, right to left.
      await page.getByLabel("Language").selectOption("ur");
      await page.getByRole("heading", { name: "پلیٹ فارم کے اعداد و شمار" }).waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.dir), "rtl");
      await audit(page, "metrics (Urdu)", findings);
      await page.getByRole("link", { name: "آڈٹ لاگ" }).click();
      await page.locator('tr[data-action="suspend"]').waitFor();
      await audit(page, "audit log (Urdu)", findings);
      await page.getByLabel("زبان").selectOption("en");

      // A phone's width: the store list still works.
      await page.setViewportSize({ width: 360, height: 740 });
      await page.getByRole("link", { name: "Stores" }).click();
      await page.getByRole("heading", { name: "Stores", level: 1 }).waitFor();
      await audit(page, "stores (phone)", findings);
    });

    // A seller signs in with their WhatsApp code — even on the admin host — and gets no admin data.
    await inBrowser("snapify admin refuses a seller", server, async ({ page }) => {
      // The browser's own fetch, from the admin origin, so the cookies land as they would.
      await page.goto(admin + "/");
      await page.getByRole("heading", { name: "Snapify admin" }).waitFor();
      const call = (method: string, p: string, body?: unknown, token?: string) => page.evaluate(async ([m, u, b, tk]) => {
        const csrf = /(?:^|; )snapify_csrf=([^;]*)/.exec(document.cookie)?.[1];
        const h: Record<string, string> = { "Content-Type": "application/json" };
        if (csrf) h["X-CSRF-Token"] = decodeURIComponent(csrf);
        if (tk) h.Authorization = `Bearer ${tk}`;
        const r = await fetch(u as string, { method: m as string, headers: h, body: b === undefined ? undefined : JSON.stringify(b) });
        return { status: r.status, text: await r.text() };
      }, [method, p, body, token] as const);
      const code = await call("POST", "/api/v1/seller/login/code", { phone: "0300 1234567" });
      assert.equal(code.status, 202, code.text);
      const { dev_code } = JSON.parse(code.text) as { dev_code: string };
      const verify = await call("POST", "/api/v1/seller/login/verify", { phone: "0300 1234567", code: dev_code });
      assert.equal(verify.status, 200, verify.text);
      const { token } = JSON.parse(verify.text) as { token: string };

      const list = await call("GET", "/api/v1/admin/stores");
      assert.equal(list.status, 403, "the seller's cookie session is refused");
      assert.match(list.text, /FORBIDDEN/);
      const audited = await call("GET", "/api/v1/admin/audit", undefined, token);
      assert.equal(audited.status, 403, "the seller's bearer token is refused");
      const moderate = await call("POST", "/api/v1/admin/stores/3/unsuspend", {});
      assert.equal(moderate.status, 403, "nor may the seller act");
      const password = await call("POST", "/api/v1/admin/login", { email: ADMIN_EMAIL, password: "guess-guess-guess" });
      assert.equal(password.status, 401);

      await page.goto(admin + "/");
      await page.getByRole("alert").filter({ hasText: "This account is not a Snapify admin" }).waitFor();
      assert.equal(await page.getByRole("link", { name: "Audit log" }).count(), 0, "no admin screen is shown");
      await audit(page, "not an admin", findings);
    });

    const signedOut = await server.request("GET", "/api/v1/admin/metrics", { headers: { Host: `admin.snapify.localhost:${server.port}` } });
    assert.equal(signedOut.status, 401);

    assert.deepEqual(findings, [], `axe found serious or critical violations:\n${findings.map((f) => `[${f.screen}] ${f.rule}: ${f.help}\n    ${f.nodes.join("\n    ")}`).join("\n")}`);
  } finally {
    await server.stop();
    rmSync(mediaDir, { recursive: true, force: true });
  }
});
