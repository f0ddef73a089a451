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

// The first screen needs the session and the seller's stores: the stores are asked for as the
// script starts, alongside the session (api.ts's /auth/me), instead of after its answer. The
// first load uses that request when it succeeded (a signed-out visitor's 401 changes nothing).
let early: Promise<{ stores: Store[] }> | undefined = typeof window === "undefined" ? undefined : api.get<{ stores: Store[] }>("/stores");
early?.catch(() => undefined); // read, with its failure, by the first load

export const useStores = create<StoresState>((set, get) => ({
  stale: false,
  async load() {
    const first = early;
    early = undefined;
    const ask = () => api.get<{ stores: Store[] }>("/stores");
    // A failed early request (signed out then, say) is asked again rather than believed.
    const { data, stale } = await readCached("stores", () => (first ? first.catch(ask) : ask()));
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
