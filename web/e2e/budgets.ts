// Issue 9's budgets for the Psydge panel, measured, printed, and checked (exit status 1 when one
// is missed). Run by scripts/web-budgets.sh; not part of `make test`, since the heap figure
// takes minutes of ticks.
//
//   initial JS      the entry chunk of static/apps/psydge/index.html and every chunk it imports
//                   statically, each gzipped at level 9, summed            ≤ 170 kB (170,000 B)
//   lighthouse      desktop performance score of the signed-in trade screen, the paper feed at
//                   its default 1 tick a second                             ≥ 0.95
//   tick latency    p95 of the chart's "psydge:tick" measures (quote received → series.update
//                   returned) with the paper feed at 10 ticks a second     ≤ 50 ms
//   heap            JS heap after a forced GC, end minus start, over N minutes of ticks
//                   (default 10)                                           ≤ 1024 KiB
//
// Flags: --minutes=N (heap run), --latency-seconds=N (default 30), --heap-tolerance-kb=N,
// --only=bundle,lighthouse,latency,heap, --static=DIR (default ../../static/apps/psydge).
import { readFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import { chromiumPath, connectPaper, repoDir, signUp, sleep, startServer, waitFor, type Server } from "./harness.ts";

const { values: flags } = parseArgs({
  options: {
    minutes: { type: "string", default: "10" },
    "latency-seconds": { type: "string", default: "30" },
    "heap-tolerance-kb": { type: "string", default: "1024" },
    only: { type: "string", default: "bundle,lighthouse,latency,heap" },
    static: { type: "string", default: path.join(repoDir, "static/apps/psydge") },
  },
});
const only = new Set(flags.only!.split(","));
const minutes = Number(flags.minutes);
const latencySeconds = Number(flags["latency-seconds"]);
const heapToleranceKB = Number(flags["heap-tolerance-kb"]);

const BUNDLE_BUDGET = 170_000;
const LIGHTHOUSE_BUDGET = 0.95;
const LATENCY_BUDGET_MS = 50;
const TICK = "100ms"; // 10 ticks a second

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

/** Static imports of a built chunk: `import … from "./x.js"`, `import "./x.js"`, `export … from`. */
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
  const toFile = (url: string, from?: string) =>
    url.startsWith("/app/") ? path.join(dir, url.slice("/app/".length)) : path.resolve(from ? path.dirname(from) : dir, url);
  const seen = new Set<string>();
  const queue = entries.map((e) => toFile(e));
  const files: { file: string; raw: number; gz: number }[] = [];
  while (queue.length) {
    const f = queue.shift()!;
    if (seen.has(f)) continue;
    seen.add(f);
    if (!existsSync(f)) throw new Error(`${f}, named by the panel's index.html or a chunk, does not exist`);
    const buf = readFileSync(f);
    files.push({ file: path.relative(dir, f), raw: buf.length, gz: gzipSync(buf, { level: 9 }).length });
    for (const imp of staticImports(buf.toString())) queue.push(toFile(imp, f));
  }
  return { bytes: files.reduce((s, x) => s + x.gz, 0), files };
}

// --- the browser figures ------------------------------------------------------------------------

async function signedInBrowser(server: Server, extraArgs: string[] = []) {
  const trader = await signUp(server);
  await connectPaper(server, trader);
  const userDataDir = mkdtempSync(path.join(tmpdir(), "alorig-budgets-"));
  // A persistent context is the browser's default one, so Lighthouse's own tab shares its cookies.
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath, headless: true, viewport: { width: 1350, height: 940 },
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--enable-precise-memory-info", ...extraArgs],
  });
  await context.addCookies(trader.cookies);
  const close = async () => {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  };
  return { context, close };
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

async function lighthouseScore(server: Server): Promise<void> {
  const port = await freePort();
  const { context, close } = await signedInBrowser(server, [`--remote-debugging-port=${port}`]);
  try {
    // Sign-in state and the first live snapshot, as a returning trader has them.
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${server.origin}/app/`);
    await page.getByRole("form", { name: "Order ticket" }).waitFor({ timeout: 20_000 });
    const result = await lighthouse(`${server.origin}/app/`, {
      port, output: "json", logLevel: "error", onlyCategories: ["performance"], disableStorageReset: true,
    }, desktopConfig);
    if (!result) throw new Error("lighthouse returned no result");
    const lhr = result.lhr;
    if (lhr.runtimeError) throw new Error(`lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    if (!lhr.finalDisplayedUrl.includes("/app/")) throw new Error(`lighthouse ended at ${lhr.finalDisplayedUrl}`);
    const score = lhr.categories.performance?.score ?? 0;
    const a = lhr.audits;
    const metric = (id: string) => a[id]?.displayValue ?? "?";
    record({
      name: "lighthouse desktop performance (signed-in trade screen)", budget: `≥ ${LIGHTHOUSE_BUDGET}`, ok: score >= LIGHTHOUSE_BUDGET,
      value: `${score.toFixed(2)} (FCP ${metric("first-contentful-paint")}, LCP ${metric("largest-contentful-paint")}, TBT ${metric("total-blocking-time")}, CLS ${metric("cumulative-layout-shift")}, SI ${metric("speed-index")})`,
    });
  } finally {
    await close();
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function ticksAndHeap(server: Server, runLatency: boolean, runHeap: boolean): Promise<void> {
  const { context, close } = await signedInBrowser(server);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${server.origin}/app/`);
    const chart = page.getByRole("region", { name: "Chart" });
    await chart.waitFor({ timeout: 20_000 });
    await waitFor(async () => Number(await chart.getAttribute("data-bars")) > 0, 20_000, "the chart has bars");
    await sleep(5_000);
    const measures = () => page.evaluate(() => performance.getEntriesByName("psydge:tick", "measure").map((m) => m.duration));

    if (runLatency) {
      await page.evaluate(() => performance.clearMeasures("psydge:tick"));
      const t0 = Date.now();
      await sleep(latencySeconds * 1000);
      const d = (await measures()).sort((x, y) => x - y);
      const secs = (Date.now() - t0) / 1000;
      if (d.length === 0) {
        record({ name: "tick → chart latency p95", value: "no psydge:tick measures recorded", budget: `≤ ${LATENCY_BUDGET_MS} ms`, ok: false });
      } else {
        const p95 = percentile(d, 95);
        record({
          name: "tick → chart latency p95", budget: `≤ ${LATENCY_BUDGET_MS} ms`, ok: p95 <= LATENCY_BUDGET_MS,
          value: `${p95.toFixed(1)} ms (p50 ${percentile(d, 50).toFixed(1)} ms, max ${d[d.length - 1]!.toFixed(1)} ms, ${d.length} ticks in ${secs.toFixed(0)} s = ${(d.length / secs).toFixed(1)}/s)`,
        });
        if (d.length / secs < 8) {
          record({ name: "tick rate reaching the chart", value: `${(d.length / secs).toFixed(1)}/s`, budget: "≥ 8/s (10 sent)", ok: false });
        }
      }
    }

    if (runHeap) {
      const cdp = await context.newCDPSession(page);
      const heap = async () => {
        await cdp.send("HeapProfiler.collectGarbage");
        await cdp.send("HeapProfiler.collectGarbage");
        return (await cdp.send("Runtime.getHeapUsage")).usedSize;
      };
      const samples: number[] = [await heap()];
      process.stdout.write(`heap: ${(samples[0]! / 1024).toFixed(0)} KiB after GC; sampling every minute for ${minutes} min\n`);
      for (let m = 1; m <= minutes; m++) {
        await sleep(60_000);
        samples.push(await heap());
        process.stdout.write(`heap: minute ${m}: ${(samples[m]! / 1024).toFixed(0)} KiB\n`);
      }
      const growthKB = (samples[samples.length - 1]! - samples[0]!) / 1024;
      // Least-squares slope over the samples, KiB per minute: a steady leak shows here too.
      const n = samples.length;
      const mx = (n - 1) / 2;
      const my = samples.reduce((s, v) => s + v, 0) / n;
      const slope = samples.reduce((s, v, i) => s + (i - mx) * (v - my), 0) / Math.max(1, samples.reduce((s, _, i) => s + (i - mx) ** 2, 0)) / 1024;
      const count = (await measures()).length;
      record({
        name: `JS heap growth over ${minutes} min of ticks (after forced GC)`, budget: `≤ ${heapToleranceKB} KiB`, ok: growthKB <= heapToleranceKB,
        value: `${growthKB >= 0 ? "+" : ""}${growthKB.toFixed(0)} KiB (${(samples[0]! / 1024).toFixed(0)} → ${(samples[n - 1]! / 1024).toFixed(0)} KiB, slope ${slope.toFixed(1)} KiB/min, ${count} tick measures kept)`,
      });
    }
  } finally {
    await close();
  }
}

// --- main ---------------------------------------------------------------------------------------

if (only.has("bundle")) {
  const { bytes, files } = initialJS(flags.static!);
  for (const f of files) process.stdout.write(`     ${f.file}: ${(f.raw / 1000).toFixed(1)} kB, ${(f.gz / 1000).toFixed(1)} kB gzipped\n`);
  record({ name: "initial JS of the panel, gzip -9", value: `${(bytes / 1000).toFixed(1)} kB (${files.length} files)`, budget: `≤ ${BUNDLE_BUDGET / 1000} kB`, ok: bytes <= BUNDLE_BUDGET });
}

/** Runs fn against a server of its own: the panel as a trader meets it (the feed's default 1 s
 * ticks) for Lighthouse, the feed at 10 ticks a second for latency and heap. */
async function withServer(name: string, env: Record<string, string>, fn: (s: Server) => Promise<void>): Promise<void> {
  const server = await startServer({ name, env: { ALORIG_LOG_LEVEL: "warn", ...env } });
  try {
    await fn(server);
  } catch (err) {
    server.keepLog();
    console.error(`budgets: ${(err as Error).stack ?? err}\n  server log: ${server.logPath}`);
    process.exitCode = 2;
  } finally {
    await server.stop();
  }
}

if (only.has("lighthouse")) await withServer("budgets-lighthouse", {}, lighthouseScore);
if (only.has("latency") || only.has("heap")) {
  await withServer("budgets-ticks", { ALORIG_PSYDGE_PAPER_TICK: TICK }, (s) => ticksAndHeap(s, only.has("latency"), only.has("heap")));
}

const missed = figures.filter((f) => !f.ok);
process.stdout.write(missed.length ? `${missed.length} budget(s) missed\n` : "every budget met\n");
if (missed.length) process.exitCode = 1;
