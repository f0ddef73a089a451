// Issue 11's budgets for Snapify's seller app, measured, printed, and checked (exit status 1
// when one is missed). Run by `scripts/web-budgets.sh --app=snapify-seller`.
//
//   initial JS    the entry chunk of static/apps/snapify-seller/index.html and every chunk it
//                 imports statically, each gzipped at level 9, summed           ≤ 150 kB
//   lighthouse    mobile performance with Lighthouse's defaults (Moto G Power screen, simulated
//                 slow 4G: 150 ms RTT, 1.6 Mbit/s, 4× CPU slowdown; storage reset between runs
//                 except the session cookie) of the signed-in orders (/orders) and products (/)
//                 screens, on the seeded demo store Ali Fabrics (12 products) with three orders
//                 placed on its buyer page; the median of --runs runs is judged  ≥ 0.90
//
// Flags: --only=bundle,lighthouse, --runs=N (default 3), --static=DIR
// (default ../../static/apps/snapify-seller), --reports=DIR (each run's Lighthouse JSON, to see
// why a score is what it is: long tasks, the request chain, main-thread work).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { chromium, type BrowserContext } from "playwright-core";
import lighthouse from "lighthouse";
import { chromiumPath, repoDir, startServer, type Server } from "./harness.ts";

// Not strict: run with the panel's budgets (scripts/web-budgets.sh), its flags are passed too.
const { values: flags } = parseArgs({
  strict: false,
  options: {
    only: { type: "string", default: "bundle,lighthouse" },
    runs: { type: "string", default: "3" },
    static: { type: "string", default: path.join(repoDir, "static/apps/snapify-seller") },
    reports: { type: "string" },
  },
});
const only = new Set(String(flags.only).split(","));
const runs = Math.max(1, Number(flags.runs) || 1);
const staticDir = String(flags.static);
const reportsDir = typeof flags.reports === "string" ? flags.reports : undefined;

const BUNDLE_BUDGET = 150_000;
const LIGHTHOUSE_BUDGET = 0.9;
const SELLER_PHONE = "03001234567"; // Ali Fabrics' seller in the seed (docs/snapify.md)
const STORE = "ali-fabrics";

interface Figure {
  name: string;
  value: string;
  budget: string;
  ok: boolean;
}
const figures: Figure[] = [];
function record(f: Figure) {
  figures.push(f);
  process.stdout.write(`${f.ok ? "ok  " : "MISS"} ${f.name}: ${f.value} (budget ${f.budget})\n`);
}

// --- initial JavaScript ---------------------------------------------------------------------

function staticImports(code: string): string[] {
  const out: string[] = [];
  const re = /(?:^|[;\s}])(?:import|export)\s*(?:[\w$*{}\s,]*?\s*from\s*)?["']([^"']+\.js)["']/g;
  for (let m; (m = re.exec(code)); ) out.push(m[1]!);
  return out;
}

function initialJS(dir: string): { bytes: number; files: { file: string; raw: number; gz: number }[] } {
  const html = readFileSync(path.join(dir, "index.html"), "utf8");
  const entries = [...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g), ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)]
    .map((m) => m[1]!);
  if (entries.length === 0) throw new Error(`${dir}/index.html has no module script`);
  // The app is served at the root of its host: "/assets/x.js" is dir/assets/x.js.
  const toFile = (url: string, from?: string) => (url.startsWith("/") ? path.join(dir, url) : path.resolve(from ? path.dirname(from) : dir, url));
  const seen = new Set<string>();
  const queue = entries.map((e) => toFile(e));
  const files: { file: string; raw: number; gz: number }[] = [];
  while (queue.length) {
    const f = queue.shift()!;
    if (seen.has(f)) continue;
    seen.add(f);
    if (!existsSync(f)) throw new Error(`${f}, named by the seller app's index.html or a chunk, does not exist`);
    const buf = readFileSync(f);
    files.push({ file: path.relative(dir, f), raw: buf.length, gz: gzipSync(buf, { level: 9 }).length });
    for (const imp of staticImports(buf.toString())) queue.push(toFile(imp, f));
  }
  return { bytes: files.reduce((s, x) => s + x.gz, 0), files };
}

// --- Lighthouse -------------------------------------------------------------------------------

/** Signs the seeded seller in through the WhatsApp-code API (development answers the code). */
async function sellerCookies(server: Server, app: string) {
  const h = { Host: app };
  const sent = await server.request("POST", "/api/v1/seller/login/code", { body: { phone: SELLER_PHONE }, headers: h });
  if (sent.status !== 202) throw new Error(`sign-in code: ${sent.status} ${sent.body}`);
  const code = sent.json<{ dev_code?: string }>().dev_code;
  if (!code) throw new Error(`sign-in code: no dev_code in a development answer: ${sent.body}`);
  const ok = await server.request("POST", "/api/v1/seller/login/verify", { body: { phone: SELLER_PHONE, code }, headers: h });
  if (ok.status !== 200) throw new Error(`sign-in: ${ok.status} ${ok.body}`);
  const cookies = (ok.headers["set-cookie"] ?? []).map((c) => {
    const [pair] = c.split(";");
    const i = pair!.indexOf("=");
    return { name: pair!.slice(0, i), value: pair!.slice(i + 1), domain: app.split(":")[0]!, path: "/" };
  });
  if (cookies.length === 0) throw new Error("sign-in set no cookie");
  return { cookies, token: ok.json<{ token: string }>().token };
}

/** Three buyers order on the store's page, so the orders screen has a list to show. */
async function placeOrders(server: Server, context: BrowserContext, token: string) {
  const list = await server.request("GET", `/api/v1/stores/${STORE}/products`, { token, headers: { Host: `snapify.localhost:${server.port}` } });
  if (list.status !== 200) throw new Error(`products: ${list.status} ${list.body}`);
  const products = list.json<{ products: { slug: string; status: string; stock?: number | null; variants: unknown[] }[] }>().products;
  const p = products.find((x) => x.status === "active" && x.variants.length === 0 && (x.stock == null || x.stock > 5));
  if (!p) throw new Error("the seeded store has no product without variants in stock to order");
  const page = await context.newPage();
  for (const [i, name] of ["Ayesha Khan", "Bilal Ahmed", "Sana Malik"].entries()) {
    await page.goto(`http://snapify.localhost:${server.port}/${STORE}/order?product=${p.slug}&qty=1`);
    await page.locator("input[name=name]").fill(name);
    await page.locator("input[name=phone]").fill(`0321 12345${60 + i}`);
    await page.locator("[name=address]").fill(`House ${i + 3}, Street 4, Model Town`);
    await page.locator("[name=city]").fill("Lahore");
    await page.locator("form.of button[type=submit]").click();
    await page.getByText(`SN-${1001 + i}`).first().waitFor({ timeout: 20_000 });
  }
  await page.close();
}

async function freePort(): Promise<number> {
  const net = await import("node:net");
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

async function lighthouseScores(server: Server): Promise<void> {
  const app = `app.snapify.localhost:${server.port}`;
  const { cookies, token } = await sellerCookies(server, app);
  const port = await freePort();
  const userDataDir = mkdtempSync(path.join(tmpdir(), "alorig-seller-budgets-"));
  // A persistent context is the browser's default one, so Lighthouse's own tab shares its cookies.
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath, headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", `--remote-debugging-port=${port}`],
  });
  try {
    await context.addCookies(cookies);
    await placeOrders(server, context, token);
    // The seller has opened the app before: the session cookie and the store are known.
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`http://${app}/orders`);
    await page.getByText("Sana Malik").waitFor({ timeout: 30_000 });

    const screens: [string, string][] = [["orders", "/orders"], ["products", "/"]];
    for (const [name, route] of screens) {
      const results: { score: number; line: string }[] = [];
      for (let r = 0; r < runs; r++) {
        const result = await lighthouse(`http://${app}${route}`, { port, output: "json", logLevel: "error", onlyCategories: ["performance"] });
        if (!result) throw new Error("lighthouse returned no result");
        const lhr = result.lhr;
        if (lhr.runtimeError) throw new Error(`lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
        if (new URL(lhr.finalDisplayedUrl).pathname !== route) throw new Error(`lighthouse ended at ${lhr.finalDisplayedUrl}, not ${route}`);
        const score = lhr.categories.performance?.score ?? 0;
        const metric = (id: string) => lhr.audits[id]?.displayValue ?? "?";
        const line = `${score.toFixed(2)}: FCP ${metric("first-contentful-paint")}, LCP ${metric("largest-contentful-paint")}, TBT ${metric("total-blocking-time")}, CLS ${metric("cumulative-layout-shift")}, SI ${metric("speed-index")}`;
        process.stdout.write(`     ${name} run ${r + 1}: ${line}\n`);
        results.push({ score, line });
        if (reportsDir) {
          mkdirSync(reportsDir, { recursive: true });
          writeFileSync(path.join(reportsDir, `seller-${name}-${r + 1}.json`), JSON.stringify(lhr));
        }
      }
      const mid = [...results].sort((a, b) => a.score - b.score)[Math.floor(results.length / 2)]!;
      record({
        name: `lighthouse mobile performance, seller ${name} screen (median of ${runs})`, budget: `≥ ${LIGHTHOUSE_BUDGET}`, ok: mid.score >= LIGHTHOUSE_BUDGET,
        value: `${mid.score.toFixed(2)} (runs ${results.map((x) => x.score.toFixed(2)).join(", ")}; median run ${mid.line})`,
      });
    }
  } finally {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

// --- main ---------------------------------------------------------------------------------------

if (only.has("bundle")) {
  const { bytes, files } = initialJS(staticDir);
  for (const f of files) process.stdout.write(`     ${f.file}: ${(f.raw / 1000).toFixed(1)} kB, ${(f.gz / 1000).toFixed(1)} kB gzipped\n`);
  record({ name: "initial JS of the seller app, gzip -9", value: `${(bytes / 1000).toFixed(1)} kB (${files.length} files)`, budget: `≤ ${BUNDLE_BUDGET / 1000} kB`, ok: bytes <= BUNDLE_BUDGET });
}

if (only.has("lighthouse")) {
  const server = await startServer({ name: "budgets-seller", apps: ["snapify"], seed: true, env: { ALORIG_LOG_LEVEL: "warn" } });
  try {
    await lighthouseScores(server);
  } catch (err) {
    server.keepLog();
    console.error(`budgets: ${(err as Error).stack ?? err}\n  server log: ${server.logPath}`);
    record({ name: "lighthouse mobile performance, seller screens", value: `not measured (${(err as Error).message.split("\n")[0]})`, budget: `≥ ${LIGHTHOUSE_BUDGET}`, ok: false });
  } finally {
    await server.stop();
  }
}

const missed = figures.filter((f) => !f.ok);
process.stdout.write(missed.length ? `${missed.length} budget(s) missed\n` : "every budget met\n");
if (missed.length) process.exitCode = 1;
