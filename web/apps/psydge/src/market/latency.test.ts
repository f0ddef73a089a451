import { describe, expect, it } from "vitest";
import { performance as nodePerformance } from "node:perf_hooks";
import { KEEP_MEASURES, recordTick, TICK_MEASURE } from "./latency";

describe("recordTick", () => {
  it("measures from the quote's arrival to now and never keeps more than the last ~1,000", () => {
    const perf = nodePerformance as unknown as Performance;
    perf.clearMeasures(TICK_MEASURE);
    for (let i = 0; i < 5_000; i++) recordTick(perf.now() - (i % 7), perf);
    const kept = perf.getEntriesByName(TICK_MEASURE, "measure");
    expect(kept.length).toBeGreaterThanOrEqual(KEEP_MEASURES);
    expect(kept.length).toBeLessThanOrEqual(KEEP_MEASURES + 200);
    expect(kept.every((m) => m.duration >= 0 && m.duration < 50)).toBe(true);
    // The newest measure is kept: trimming drops the oldest.
    const before = kept[kept.length - 1]!.startTime;
    recordTick(perf.now(), perf);
    expect(perf.getEntriesByName(TICK_MEASURE, "measure").at(-1)!.startTime).toBeGreaterThanOrEqual(before);
  });
});
