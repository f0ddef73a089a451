// The store list's filters, kept while the admin opens a store and comes back.
import { create } from "zustand";

export interface StoreFilters {
  q: string;
  status: "" | "live" | "suspended";
  plan: "" | "free" | "pro";
  city: string;
  verified: "" | "true" | "false";
  page: number;
}

export const emptyFilters: StoreFilters = { q: "", status: "", plan: "", city: "", verified: "", page: 1 };

export const useStoreFilters = create<{ filters: StoreFilters; set(f: Partial<StoreFilters>): void; reset(): void }>((set) => ({
  filters: emptyFilters,
  set: (f) => set((s) => ({ filters: { ...s.filters, page: 1, ...f } })),
  reset: () => set({ filters: emptyFilters }),
}));
