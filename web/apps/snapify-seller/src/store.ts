// The seller's stores and which one the app works on (the first, or the one chosen).
import { create } from "zustand";
import { api } from "./api";
import { readCached } from "./offline";
import type { Store } from "./types";

interface StoresState {
  stores?: Store[];
  current?: Store;
  stale: boolean;
  load(): Promise<void>;
  set(s: Store): void;
}

export const useStores = create<StoresState>((set, get) => ({
  stale: false,
  async load() {
    const { data, stale } = await readCached("stores", () => api.get<{ stores: Store[] }>("/stores"));
    const cur = get().current;
    set({ stores: data.stores, stale, current: data.stores.find((s) => s.slug === cur?.slug) ?? data.stores[0] });
  },
  set(s) {
    set((st) => ({ current: s, stores: st.stores?.map((x) => (x.id === s.id ? s : x)) }));
  },
}));

/** The path of the current store's API: /stores/{slug}. */
export function storePath(): string {
  const s = useStores.getState().current;
  if (!s) throw new Error("no store");
  return `/stores/${encodeURIComponent(s.slug)}`;
}
