// The tick-to-chart latency budget (≤ 50 ms p95 at 10 ticks a second) is read from the page by
// the browser budget test: each tick the chart has drawn leaves one "psydge:tick" measure,
// from the moment the quote arrived (Quote.receivedAt) to the moment series.update returned.

export const TICK_MEASURE = "psydge:tick";
/** How many measures are kept; a long session must not grow the performance timeline. */
export const KEEP_MEASURES = 1_000;
// Trimming re-creates the kept measures, so it runs once per TRIM_SLACK ticks, not every tick.
const TRIM_SLACK = 200;

let recorded = 0;

/** Records one tick's latency, ending now; keeps at most the last KEEP_MEASURES + TRIM_SLACK. */
export function recordTick(receivedAt: number, perf: Performance = performance): void {
  try {
    perf.measure(TICK_MEASURE, { start: receivedAt, end: perf.now() });
  } catch {
    // A start in the future or before the time origin (a quote from before a reload) is not
    // a latency; nothing is recorded for it.
    return;
  }
  recorded++;
  if (recorded <= KEEP_MEASURES + TRIM_SLACK) return;
  const kept = perf.getEntriesByName(TICK_MEASURE, "measure").slice(-KEEP_MEASURES);
  perf.clearMeasures(TICK_MEASURE);
  for (const m of kept) perf.measure(TICK_MEASURE, { start: m.startTime, end: m.startTime + m.duration });
  recorded = kept.length;
}
