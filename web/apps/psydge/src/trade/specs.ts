// The broker's symbol specifications (GET /api/v1/symbols/{symbol}), fetched once per symbol
// and kept for the visit: digits, pip size, contract size and volume limits do not change
// while the panel is open.
import { useEffect } from "react";
import { create } from "zustand";
import { api } from "../api";
import type { SymbolSpec } from "../types";

interface SpecState {
  specs: Record<string, SymbolSpec>;
  errors: Record<string, unknown>;
  loading: Record<string, boolean>;
  load(symbol: string): Promise<void>;
}

export const useSpecs = create<SpecState>((set, get) => ({
  specs: {},
  errors: {},
  loading: {},
  async load(symbol) {
    const s = get();
    if (!symbol || s.specs[symbol] || s.loading[symbol]) return;
    set({ loading: { ...s.loading, [symbol]: true } });
    try {
      const spec = await api.get<SymbolSpec>(`/symbols/${encodeURIComponent(symbol)}`);
      const { [symbol]: _, ...errors } = get().errors;
      set({ specs: { ...get().specs, [symbol]: spec }, errors });
    } catch (e) {
      set({ errors: { ...get().errors, [symbol]: e } });
    } finally {
      set({ loading: { ...get().loading, [symbol]: false } });
    }
  },
}));

/** The symbol's specification (loaded on first use) and the error, if it could not be read. */
export function useSpec(symbol: string): { spec?: SymbolSpec; error?: unknown } {
  const spec = useSpecs((s) => s.specs[symbol]);
  const error = useSpecs((s) => s.errors[symbol]);
  const load = useSpecs((s) => s.load);
  useEffect(() => {
    void load(symbol);
  }, [symbol, load]);
  return { spec, error };
}
