// axe-core over every screen of the Psydge panel: sign-in, connect, trade, signals, score,
// journal, settings and AI, and the trade screen once more in Urdu (right to left). A serious or
// critical violation fails the test; the message lists each one with its rule, help and nodes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { AxeBuilder } from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { connectPaper, inBrowser, signUp, startServer } from "../harness.ts";

interface Finding {
  screen: string;
  rule: string;
  impact: string;
  help: string;
  nodes: string[];
}

async function audit(page: Page, screen: string, findings: Finding[]): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  for (const v of result.violations) {
    if (v.impact !== "serious" && v.impact !== "critical") continue;
    findings.push({
      screen, rule: v.id, impact: v.impact, help: `${v.help} (${v.helpUrl})`,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")} ${n.html.slice(0, 200)}: ${n.failureSummary?.replace(/\s+/g, " ") ?? ""}`),
    });
  }
}

function report(findings: Finding[]): string {
  return findings.map((f) => `[${f.screen}] ${f.impact} ${f.rule}: ${f.help}\n    ${f.nodes.join("\n    ")}`).join("\n");
}

test("psydge: no serious or critical axe violation on any panel screen", { timeout: 240_000 }, async (t) => {
  const server = await startServer({ name: "psydge-axe" });
  t.after(() => server.stop());
  const findings: Finding[] = [];

  await inBrowser("psydge axe", server, async ({ context, page }) => {
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.origin}/app/`);
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    await audit(page, "sign-in", findings);

    const trader = await signUp(server);
    await context.addCookies(trader.cookies);
    await page.goto(`${server.origin}/app/`);
    await page.getByRole("heading", { name: "Connect a broker" }).waitFor();
    await audit(page, "connect", findings);

    await connectPaper(server, trader);
    const screens: [string, string, () => Promise<void>][] = [
      ["trade", "/app/", () => page.getByRole("form", { name: "Order ticket" }).waitFor()],
      ["signals", "/app/signals", () => page.getByRole("heading", { level: 1, name: "Signals" }).waitFor()],
      ["score", "/app/score", () => page.getByRole("heading", { level: 1, name: "Discipline score" }).waitFor()],
      ["journal", "/app/journal", () => page.getByRole("heading", { level: 1, name: "Journal" }).waitFor()],
      ["settings", "/app/settings", () => page.getByRole("heading", { level: 1, name: "Discipline settings" }).waitFor()],
      ["ai", "/app/ai", () => page.getByRole("heading", { level: 1, name: "AI assistant" }).waitFor()],
    ];
    for (const [name, path, ready] of screens) {
      await page.goto(`${server.origin}${path}`);
      await ready();
      // The live channel's first snapshot and the screen's own reads.
      await page.waitForLoadState("networkidle").catch(() => undefined);
      await page.waitForTimeout(500);
      await audit(page, name, findings);
    }

    // Urdu, right to left, on the trade screen.
    await page.goto(`${server.origin}/app/`);
    await page.getByRole("form", { name: "Order ticket" }).waitFor();
    await page.getByRole("combobox", { name: "Language" }).first().selectOption("ur");
    await page.waitForFunction(() => document.documentElement.dir === "rtl" && document.documentElement.lang === "ur");
    await page.waitForTimeout(500);
    await audit(page, "trade (ur, rtl)", findings);

    assert.equal(findings.length, 0, `axe found serious or critical violations:\n${report(findings)}`);
  });
});
