// The chart of the selected symbol and timeframe. The chart library is loaded on first use
// (its own chunk); bars, ticks and price lines are driven by ChartController outside React,
// so a tick never re-renders this component. data-bars and data-last-close are written on
// every drawn update, for the browser tests and the latency budget.
import { useEffect, useRef, useState } from "react";
import { ProblemAlert } from "@alorig/ui";
import { useT } from "../i18n";
import { ChartController, type ChartView } from "./chartController";
import { TIMEFRAMES, useSelection } from "./selection";

export function Chart({ className = "" }: { className?: string }) {
  const t = useT();
  const symbol = useSelection((s) => s.symbol);
  const timeframe = useSelection((s) => s.timeframe);
  const setTimeframe = useSelection((s) => s.setTimeframe);
  const region = useRef<HTMLElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const controller = useRef<ChartController>(undefined);
  const [view, setView] = useState<ChartView>({ status: "loading" });
  // Line titles are read when lines are drawn; a ref keeps the controller's callback current.
  const title = useRef(t);
  useEffect(() => {
    title.current = t;
  });

  useEffect(() => {
    const c = new ChartController(box.current!, region.current!, {
      onView: setView,
      lineTitle: (kind) => title.current(`chart.line.${kind}`),
    });
    controller.current = c;
    return () => {
      c.dispose();
      controller.current = undefined;
    };
  }, []);

  useEffect(() => {
    controller.current?.show(symbol, timeframe);
  }, [symbol, timeframe]);

  return (
    <section ref={region} aria-label={t("chart.label")} data-symbol={symbol} data-timeframe={timeframe}
      className={`flex flex-col gap-2 rounded-lg border border-line bg-surface p-3 ${className}`}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-base font-semibold">
          {symbol} <span className="text-muted">· {timeframe}</span>
        </h2>
        <div role="group" aria-label={t("chart.timeframe")} className="flex flex-wrap gap-1">
          {TIMEFRAMES.map((tf) => (
            <button key={tf} type="button" aria-pressed={tf === timeframe} onClick={() => setTimeframe(tf)}
              className="min-h-9 min-w-10 rounded-md border border-line px-2 text-xs font-semibold hover:bg-raised aria-pressed:border-accent aria-pressed:bg-accent aria-pressed:text-accent-fg">
              {tf}
            </button>
          ))}
        </div>
      </div>
      {view.status === "error" && <ProblemAlert error={view.error} />}
      <div className="relative min-h-72 flex-1 sm:min-h-96">
        <div ref={box} dir="ltr" className="absolute inset-0" />
        {view.status === "loading" && (
          <p role="status" className="absolute inset-0 flex items-center justify-center text-sm text-muted">
            {t("chart.loading", { symbol })}
          </p>
        )}
        {view.status === "ready" && view.bars === 0 && (
          <p role="status" className="absolute inset-0 flex items-center justify-center text-sm text-muted">
            {t("chart.empty", { symbol })}
          </p>
        )}
      </div>
      <p className="text-end text-xs text-muted">
        <a href="https://www.tradingview.com/" target="_blank" rel="noopener noreferrer" className="underline-offset-2 hover:underline">
          {t("chart.attribution")}
        </a>
      </p>
    </section>
  );
}
