// The chart outside React: one Lightweight Charts chart with one candlestick series for its
// whole life, fed candles over HTTP and ticks from the live store. Ticks are folded into the
// last bar as they arrive (cheap arithmetic) and drawn at most once per animation frame, so
// 10 ticks a second cost at most one series.update per frame and no React render at all.
import type * as LightweightCharts from "lightweight-charts";
import type { CandlestickData, IChartApi, IPriceLine, ISeriesApi, UTCTimestamp } from "lightweight-charts";
import { useTheme } from "@alorig/ui";
import { api } from "../api";
import { useLive, type Quote } from "../live/store";
import type { Bar } from "../types";
import { applyTick, positionLines, priceDigits, type PriceLine } from "./bars";
import { recordTick } from "./latency";
import type { Timeframe } from "./selection";

type Lib = typeof LightweightCharts;

export type ChartView =
  | { status: "loading" }
  | { status: "ready"; bars: number }
  | { status: "error"; error: unknown };

export interface ChartControllerOptions {
  /** Called when loading starts, ends or fails (not on ticks). */
  onView(v: ChartView): void;
  /** The line titles, in the reader's language. */
  lineTitle(kind: PriceLine["kind"]): string;
}

// A hidden tab gets no animation frames; ticks that arrive meanwhile are still folded into
// the bars, and at most this many of their arrival times wait to be measured.
const MAX_PENDING_MEASURES = 100;

export class ChartController {
  private lib?: Lib;
  private chart?: IChartApi;
  private series?: ISeriesApi<"Candlestick">;
  private readonly loaded: Promise<void>;
  private disposed = false;

  private symbol = "";
  private timeframe: Timeframe = "M5";
  /** Bumped by every show(): an answer for an earlier symbol or timeframe is dropped. */
  private generation = 0;
  private fetching?: AbortController;
  private ready = false;
  private count = 0;
  private last?: Bar;
  /** Bars changed since the last frame, oldest first (a finished bar, then the current one). */
  private dirty: Bar[] = [];
  private arrivals: number[] = [];
  private frame = 0;

  private lines: IPriceLine[] = [];
  private linesKey = "";
  private linesDirty = false;

  private readonly unsubscribe: Array<() => void> = [];
  /** Whether the live channel has been open before: only a re-open can have missed ticks. */
  private wasOpen = useLive.getState().status === "open";

  constructor(private readonly box: HTMLElement, private readonly region: HTMLElement, private readonly o: ChartControllerOptions) {
    this.loaded = import("lightweight-charts").then((lib) => {
      if (this.disposed) return;
      this.lib = lib;
      this.chart = lib.createChart(box, {
        autoSize: true,
        // The library's own logo injects a <style> element, which the panel's CSP refuses; the
        // attribution its licence asks for is a link under the chart instead (Chart.tsx).
        layout: { attributionLogo: false },
        timeScale: { timeVisible: true, secondsVisible: false },
        rightPriceScale: { borderVisible: false },
      });
      this.series = this.chart.addSeries(lib.CandlestickSeries, { borderVisible: false });
      this.applyTheme();
    });

    this.unsubscribe.push(
      useLive.subscribe((s, prev) => {
        const q = s.prices[this.symbol];
        if (q && q !== prev.prices[this.symbol]) this.onTick(q);
        if (s.positions !== prev.positions || s.trades !== prev.trades) this.markLines();
        // After a reconnect the channel may have missed ticks: the bars are fetched again.
        if (s.status === "open" && prev.status !== "open") {
          if (this.wasOpen && this.ready) this.show(this.symbol, this.timeframe);
          this.wasOpen = true;
        }
      }),
      useTheme.subscribe(() => this.applyTheme()),
    );
    const mql = typeof matchMedia === "function" ? matchMedia("(prefers-color-scheme: dark)") : undefined;
    if (mql) {
      const onScheme = () => this.applyTheme();
      mql.addEventListener("change", onScheme);
      this.unsubscribe.push(() => mql.removeEventListener("change", onScheme));
    }
  }

  /** Shows symbol's bars of timeframe: fetched, then kept current by ticks. */
  show(symbol: string, timeframe: Timeframe): void {
    const gen = ++this.generation;
    this.fetching?.abort();
    const ctl = new AbortController();
    this.fetching = ctl;
    this.symbol = symbol;
    this.timeframe = timeframe;
    this.ready = false;
    this.count = 0;
    this.last = undefined;
    this.dirty = [];
    this.arrivals = [];
    this.cancelFrame();
    this.clearLines();
    this.region.dataset.bars = "0";
    delete this.region.dataset.lastClose;
    this.o.onView({ status: "loading" });

    const bars = api.get<Bar[]>("/candles", { symbol, timeframe, limit: 300 }, ctl.signal);
    void Promise.all([bars, this.loaded]).then(
      ([data]) => {
        if (gen !== this.generation || this.disposed || !this.series) return;
        const digits = priceDigits(symbol, ...data.slice(-20).map((b) => b.close));
        this.series.applyOptions({ priceFormat: { type: "price", precision: digits, minMove: 1 / 10 ** digits } });
        this.series.setData(data as unknown as CandlestickData<UTCTimestamp>[]);
        this.chart?.timeScale().scrollToRealTime();
        this.count = data.length;
        this.last = data[data.length - 1];
        this.ready = true;
        this.linesDirty = true;
        // The quote held now may be newer than the last bar the server had built. It arrived
        // before the bars did, so its wait is loading time, not tick latency: not measured.
        const q = useLive.getState().prices[symbol];
        if (q) this.onTick(q, false);
        this.schedule();
        this.writeAttributes();
        this.o.onView({ status: "ready", bars: this.count });
      },
      (error: unknown) => {
        if (gen !== this.generation || this.disposed || ctl.signal.aborted) return;
        this.o.onView({ status: "error", error });
      },
    );
  }

  dispose(): void {
    this.disposed = true;
    this.generation++;
    this.fetching?.abort();
    this.cancelFrame();
    for (const u of this.unsubscribe.splice(0)) u();
    this.lines = [];
    this.chart?.remove();
    this.chart = undefined;
    this.series = undefined;
  }

  private onTick(q: Quote, measure = true): void {
    if (!this.ready) return;
    const r = applyTick(this.last, q.bid, Date.parse(q.time) / 1000, this.timeframe);
    if (r.kind === "stale") return;
    if (r.kind === "new") {
      // The bar being finished was already queued if it changed since the last frame.
      this.count++;
      this.dirty.push(r.bar);
    } else if (this.dirty.length > 0 && this.dirty[this.dirty.length - 1]!.time === r.bar.time) {
      this.dirty[this.dirty.length - 1] = r.bar;
    } else {
      this.dirty.push(r.bar);
    }
    this.last = r.bar;
    if (measure) this.arrivals.push(q.receivedAt);
    if (this.arrivals.length > MAX_PENDING_MEASURES) this.arrivals.splice(0, this.arrivals.length - MAX_PENDING_MEASURES);
    this.schedule();
  }

  private markLines(): void {
    this.linesDirty = true;
    if (this.ready) this.schedule();
  }

  private schedule(): void {
    if (this.frame || this.disposed) return;
    this.frame = requestAnimationFrame(() => this.draw());
  }

  private cancelFrame(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  private draw(): void {
    this.frame = 0;
    if (this.disposed || !this.series || !this.ready) return;
    if (this.dirty.length > 0) {
      for (const b of this.dirty) this.series.update(b as unknown as CandlestickData<UTCTimestamp>);
      this.dirty = [];
      for (const t of this.arrivals) recordTick(t);
      this.arrivals = [];
      this.writeAttributes();
    }
    if (this.linesDirty) this.drawLines();
  }

  private writeAttributes(): void {
    this.region.dataset.bars = String(this.count);
    if (this.last) this.region.dataset.lastClose = String(this.last.close);
  }

  private drawLines(): void {
    this.linesDirty = false;
    const s = useLive.getState();
    const want = positionLines(this.symbol, s.positions, Object.values(s.trades));
    const key = JSON.stringify(want);
    if (key === this.linesKey) return;
    this.clearLines();
    this.linesKey = key;
    const series = this.series;
    const lib = this.lib;
    if (!series || !lib) return;
    const color = this.colors();
    const tone = { entry: color.accent, stop: color.bad, target: color.good };
    for (const l of want) {
      this.lines.push(series.createPriceLine({
        price: l.price, color: tone[l.kind], lineWidth: 1, axisLabelVisible: true, title: this.o.lineTitle(l.kind),
        lineStyle: l.kind === "entry" ? lib.LineStyle.Solid : lib.LineStyle.Dashed,
      }));
    }
  }

  private clearLines(): void {
    for (const l of this.lines) this.series?.removePriceLine(l);
    this.lines = [];
    this.linesKey = "";
  }

  private colors() {
    const css = getComputedStyle(document.documentElement);
    const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
    return {
      surface: v("--surface", "#ffffff"), fg: v("--fg", "#111827"), muted: v("--muted", "#4b5563"), line: v("--line", "#d5d9e0"),
      good: v("--good", "#047857"), bad: v("--bad", "#b91c1c"), accent: v("--accent", "#1d4ed8"),
    };
  }

  private applyTheme(): void {
    if (!this.chart || !this.series || !this.lib) return;
    const c = this.colors();
    this.chart.applyOptions({
      layout: { background: { type: this.lib.ColorType.Solid, color: c.surface }, textColor: c.muted },
      grid: { vertLines: { color: c.line }, horzLines: { color: c.line } },
      crosshair: { vertLine: { labelBackgroundColor: c.fg }, horzLine: { labelBackgroundColor: c.fg } },
    });
    this.series.applyOptions({ upColor: c.good, downColor: c.bad, wickUpColor: c.good, wickDownColor: c.bad });
    // Line colours follow the theme too: redraw them.
    this.linesKey = "";
    this.markLines();
  }
}
