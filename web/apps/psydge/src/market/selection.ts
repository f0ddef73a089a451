// The symbol and timeframe the trader is looking at: the chart, the watchlist and the order
// ticket share them.
import { create } from "zustand";

export const TIMEFRAMES = ["M1", "M5", "M15", "M30", "H1", "H4", "D1"] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

export const useSelection = create<{ symbol: string; timeframe: Timeframe; setSymbol(s: string): void; setTimeframe(t: Timeframe): void }>((set) => ({
  symbol: "EURUSD",
  timeframe: "M5",
  setSymbol: (symbol) => set({ symbol }),
  setTimeframe: (timeframe) => set({ timeframe }),
}));
