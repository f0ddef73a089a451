// The browser tests' harness: a real `alorig serve` on a free loopback port with its own
// databases and Redis keys, and Debian's Chromium driven by playwright-core.
//
// Isolation: every start names fresh module databases (ALORIG_<MODULE>_DATABASE=e2e_…) and Redis
// prefixes (<module>:e2e_…:) on the dev PostgreSQL and Redis that scripts/dev-services.sh
// exports, migrates them with `alorig migrate`, and drops them again on stop; a developer's
// `make run` databases (psydge_db …) and keys are never touched. Databases a killed run left
// behind are dropped by the next run once they are six hours old.
//
// Time: the server runs a clock that starts inside the London session (ALORIG_CLOCK, development
// only; docs/psydge.md), so gate D passes whatever the hour of the run.
import { spawn, execFile, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, rmSync, type WriteStream } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

const run = promisify(execFile);

export const e2eDir = path.dirname(fileURLToPath(import.meta.url));
export const repoDir = path.resolve(e2eDir, "../..");
export const resultsDir = path.join(e2eDir, "results");

/** Where `make build` leaves the binary, unless ALORIG_BIN names another. */
export const binary = path.resolve(repoDir, process.env.ALORIG_BIN ?? "bin/alorig");
export const chromiumPath = process.env.ALORIG_CHROMIUM ?? "/usr/bin/chromium";

const modules = ["psydge", "snapify", "sitebuilder", "observer", "astrotiming", "asms"];
/** Databases of this harness: e2e_<start time, base 36>_<random>_<module>. */
const dbPattern = /^e2e_([0-9a-z]+)_[0-9a-f]+_[a-z]+$/;
const staleAfterMs = 6 * 3600_000;

export interface ServerOptions {
  /** Modules to serve (`--apps`), default psydge. */
  apps?: string[];
  /** ALORIG_CLOCK; default a running clock inside the London session (sessionClock()). */
  clock?: string;
  /** More environment for the server (e.g. ALORIG_PSYDGE_PAPER_TICK). */
  env?: Record<string, string>;
  /** A name for the server's log file under results/. */
  name?: string;
  /** Runs `alorig seed` for each module after migrating (the demo stores, products, accounts). */
  seed?: boolean;
}

export interface Server {
  /** http://psydge.localhost:PORT: what the browser opens (Chromium resolves *.localhost). */
  origin: string;
  port: number;
  /** The server's clock at its start (ALORIG_CLOCK). */
  clock: string;
  logPath: string;
  /** Keeps the server's log after stop (a failed test points at it); otherwise it is removed. */
  keepLog(): void;
  /** An HTTP request to the Psydge host through the loopback address. */
  request(method: string, path: string, opts?: { body?: unknown; token?: string; headers?: Record<string, string> }): Promise<Reply>;
  /** Stops the server and drops its databases and Redis keys; safe to call twice. */
  stop(): Promise<void>;
}

export interface Reply {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
  json<T = unknown>(): T;
}

function need(name: string): string {
  const v = process.env[name];
  if (!v) {
    throw new Error(`${name} is not set: run the tests with \`make web-e2e\`, or first \`eval "$(scripts/dev-services.sh)"\` in ${repoDir}`);
  }
  return v;
}

/**
 * An RFC 3339 instant inside the London session (08:00–17:00 Europe/London, Monday–Friday):
 * 09:30 UTC (09:30 or 10:30 in London) of the latest weekday not after now. The clock runs
 * from there, so a test has hours of open session; it is at most three days behind the
 * browser's clock, well inside the session cookie's lifetime.
 */
export function sessionClock(now = new Date()): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 9, 30));
  while (d.getTime() > now.getTime() || d.getUTCDay() === 0 || d.getUTCDay() === 6) {
    d.setUTCDate(d.getUTCDate() - 1);
  }
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The environment of the server and its migrate: the developer's own module settings removed. */
function serverEnv(tag: string, apps: string[], extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // ALORIG_<MODULE>_DATABASE(_URL), _REDIS_PREFIX, ALORIG_APPS, ALORIG_ADDR … of the developer's
    // shell would point the server at their databases or another address.
    if (k.startsWith("ALORIG_") && k !== "ALORIG_DATABASE_URL" && k !== "ALORIG_REDIS_URL") continue;
    env[k] = v;
  }
  env.ALORIG_ENV = "development";
  env.ALORIG_ADMIN_ADDR = "off";
  env.ALORIG_LOG_LEVEL = "info";
  for (const m of apps) {
    const up = m.toUpperCase();
    env[`ALORIG_${up}_DATABASE`] = `${tag}_${m}`;
    env[`ALORIG_${up}_REDIS_PREFIX`] = `${m}:${tag}:`;
  }
  return { ...env, ...extra };
}

async function psql(sql: string): Promise<string> {
  const { stdout } = await run("psql", [need("ALORIG_DATABASE_URL"), "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql]);
  return stdout;
}

async function dropDatabases(names: string[]): Promise<void> {
  for (const n of names) {
    try {
      await psql(`DROP DATABASE IF EXISTS "${n}" WITH (FORCE)`);
    } catch (err) {
      console.error(`e2e: could not drop database ${n}: ${(err as Error).message}`);
    }
  }
}

/** Drops the databases of runs that were killed before they could clean up. */
async function dropStale(): Promise<void> {
  let names: string[];
  try {
    names = (await psql("SELECT datname FROM pg_database WHERE datname LIKE 'e2e\\_%'")).split("\n").filter(Boolean);
  } catch (err) {
    console.error(`e2e: psql is needed to drop the test databases: ${(err as Error).message}`);
    return;
  }
  const old = names.filter((n) => {
    const m = dbPattern.exec(n);
    return m && Date.now() - parseInt(m[1]!, 36) > staleAfterMs;
  });
  await dropDatabases(old);
}

async function dropRedis(tag: string, apps: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const url = need("ALORIG_REDIS_URL");
  const dbs: Record<string, number> = { psydge: 2, snapify: 3, sitebuilder: 4, observer: 5, astrotiming: 6, asms: 7 };
  for (const m of apps) {
    const db = Number(env[`ALORIG_${m.toUpperCase()}_REDIS_DB`] ?? dbs[m]);
    try {
      const { stdout } = await run("redis-cli", ["-u", url, "-n", String(db), "--scan", "--pattern", `${m}:${tag}:*`]);
      const keys = stdout.split("\n").filter(Boolean);
      for (let i = 0; i < keys.length; i += 500) {
        await run("redis-cli", ["-u", url, "-n", String(db), "DEL", ...keys.slice(i, i + 500)]);
      }
    } catch (err) {
      console.error(`e2e: could not delete Redis keys ${m}:${tag}:*: ${(err as Error).message}`);
    }
  }
}

const running = new Set<ChildProcess>();
// A runner that is interrupted still stops its servers.
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.once(sig, () => {
    for (const p of running) p.kill("SIGKILL");
    process.exit(130);
  });
}
process.once("exit", () => {
  for (const p of running) p.kill("SIGKILL");
});

/** Starts `alorig serve` on fresh databases and waits until /readyz answers 200. */
export async function startServer(opts: ServerOptions = {}): Promise<Server> {
  if (!existsSync(binary)) throw new Error(`${binary} does not exist: run \`make build\` (or set ALORIG_BIN)`);
  need("ALORIG_DATABASE_URL");
  need("ALORIG_REDIS_URL");
  const apps = opts.apps ?? ["psydge"];
  for (const a of apps) if (!modules.includes(a)) throw new Error(`unknown module ${a}`);
  const tag = `e2e_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const clock = opts.clock ?? sessionClock();
  // Uploaded photos go to a directory of this run, removed on stop, not into the checkout.
  const mediaDir = path.join(tmpdir(), `${tag}-media`);
  const env = serverEnv(tag, apps, { ALORIG_CLOCK: clock, ALORIG_SNAPIFY_MEDIA_DIR: mediaDir, ...opts.env });
  const dbs = apps.map((a) => `${tag}_${a}`);

  mkdirSync(resultsDir, { recursive: true });
  const logPath = path.join(resultsDir, `${opts.name ?? "server"}-${tag}.log`);
  const log = createWriteStream(logPath);

  await dropStale();
  let proc: ChildProcess | undefined;
  let stopped: Promise<void> | undefined;
  let keep = false;
  const keepLog = () => {
    keep = true;
  };
  const stop = () => {
    stopped ??= (async () => {
      if (proc) await terminate(proc);
      await new Promise<void>((r) => log.end(r));
      if (!keep) rmSync(logPath, { force: true });
      rmSync(mediaDir, { recursive: true, force: true });
      await dropDatabases(dbs);
      await dropRedis(tag, apps, env);
    })();
    return stopped;
  };
  try {
    for (const a of apps) {
      const { stdout, stderr } = await run(binary, ["migrate", `--app=${a}`], { env });
      log.write(stdout + stderr);
    }
    for (const a of opts.seed ? apps : []) {
      const { stdout, stderr } = await run(binary, ["seed", `--app=${a}`], { env });
      log.write(stdout + stderr);
    }
    proc = spawn(binary, ["serve", `--apps=${apps.join(",")}`, "--with-worker", "--addr=127.0.0.1:0"], {
      env, stdio: ["ignore", "pipe", "pipe"],
    });
    running.add(proc);
    proc.on("exit", () => running.delete(proc!));
    const port = await listeningPort(proc, log);
    const request = makeRequest(port);
    await waitFor(async () => (await request("GET", "/readyz").catch(() => undefined))?.status === 200, 30_000,
      `alorig serve did not become ready on port ${port} (log: ${logPath})`);
    return { origin: `http://psydge.localhost:${port}`, port, clock, logPath, keepLog, request, stop };
  } catch (err) {
    keepLog();
    console.error(`e2e: alorig serve did not start; its log: ${logPath}`);
    await stop();
    throw err;
  }
}

/** Reads serve's stdout for the psydge address it prints once it listens; logs everything. */
function listeningPort(proc: ChildProcess, log: WriteStream): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error("alorig serve printed no address within 60 s")), 60_000);
    proc.stderr!.on("data", (b: Buffer) => log.write(b));
    proc.stdout!.on("data", (b: Buffer) => {
      log.write(b);
      out += b.toString();
      const m = /http:\/\/[a-z]+\.localhost:(\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    proc.once("exit", (code, sig) => {
      clearTimeout(timer);
      reject(new Error(`alorig serve exited (${code ?? sig}) before listening`));
    });
  });
}

async function terminate(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  proc.kill("SIGTERM");
  const killed = await Promise.race([exited.then(() => false), sleep(15_000).then(() => true)]);
  if (killed) {
    proc.kill("SIGKILL");
    await exited;
  }
}

function makeRequest(port: number): Server["request"] {
  return (method, p, opts = {}) =>
    new Promise((resolve, reject) => {
      const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
      const headers: Record<string, string> = { Host: `psydge.localhost:${port}`, ...opts.headers };
      if (body !== undefined) headers["Content-Type"] = "application/json";
      if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
      const req = http.request({ host: "127.0.0.1", port, method, path: p, headers, timeout: 15_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString();
          resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers, json: <T>() => JSON.parse(text) as T });
        });
      });
      req.on("timeout", () => req.destroy(new Error(`${method} ${p}: no answer within 15 s`)));
      req.on("error", reject);
      req.end(body);
    });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls cond until it holds, or fails with message after timeout ms. */
export async function waitFor(cond: () => boolean | Promise<boolean>, timeout: number, message: string): Promise<void> {
  const end = Date.now() + timeout;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > end) throw new Error(`${message} (waited ${timeout / 1000} s)`);
    await sleep(100);
  }
}

/** Launches Debian's Chromium, headless. */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} does not exist: run \`scripts/dev/ensure-packages.sh browser\` (or set ALORIG_CHROMIUM)`);
  }
  return chromium.launch({
    executablePath: chromiumPath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", ...extraArgs],
  });
}

export interface Trader {
  email: string;
  password: string;
  /** The session's Bearer token, for API calls. */
  token: string;
  /** The session and CSRF cookies, for BrowserContext.addCookies. */
  cookies: { name: string; value: string; domain: string; path: string }[];
}

/** A new account made through the API (for tests that are not the story). */
export async function signUp(server: Server, email = `trader-${randomBytes(4).toString("hex")}@example.com`): Promise<Trader> {
  const password = "correct horse battery staple";
  const reg = await server.request("POST", "/api/v1/auth/register", { body: { email, password } });
  if (reg.status !== 201) throw new Error(`register: ${reg.status} ${reg.body}`);
  const { token } = reg.json<{ token: string }>();
  const setCookie = reg.headers["set-cookie"] ?? [];
  const cookies = setCookie.map((c) => {
    const [pair] = c.split(";");
    const i = pair!.indexOf("=");
    return { name: pair!.slice(0, i), value: pair!.slice(i + 1), domain: "psydge.localhost", path: "/" };
  });
  return { email, password, token, cookies };
}

/** Connects the trader's paper account through the API. */
export async function connectPaper(server: Server, trader: Trader): Promise<void> {
  const conn = await server.request("POST", "/api/v1/broker-connections", { token: trader.token, body: { broker: "paper" } });
  if (conn.status !== 201) throw new Error(`paper connection: ${conn.status} ${conn.body}`);
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60);
}

export interface Session {
  browser: Browser;
  context: BrowserContext;
  page: Page;
}

/**
 * Runs fn with a fresh browser, context and page, tracing all along. When fn fails, a
 * screenshot and the Playwright trace are left under results/ and their paths printed; the
 * browser is closed either way.
 */
export async function inBrowser(name: string, server: Server, fn: (s: Session) => Promise<void>,
  ctxOptions: Parameters<Browser["newContext"]>[0] = {}): Promise<void> {
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-GB", ...ctxOptions });
    await context.tracing.start({ screenshots: true, snapshots: true, sources: false, title: name });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    try {
      await fn({ browser, context, page });
      await context.tracing.stop();
    } catch (err) {
      server.keepLog();
      const base = path.join(resultsDir, slug(name));
      mkdirSync(resultsDir, { recursive: true });
      await page.screenshot({ path: `${base}.png`, fullPage: true }).catch(() => undefined);
      await context.tracing.stop({ path: `${base}.trace.zip` }).catch(() => undefined);
      console.error(`e2e: "${name}" failed at ${page.url()}\n  screenshot: ${base}.png\n  trace:      ${base}.trace.zip` +
        ` (npx playwright-core show-trace ${base}.trace.zip)\n  server log: ${server.logPath}` +
        (errors.length ? `\n  browser errors:\n    ${errors.slice(-10).join("\n    ")}` : ""));
      throw err;
    }
  } finally {
    await browser.close();
  }
}
