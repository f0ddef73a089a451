// Orders: the list is polled (Snapify has no live channel for sellers; 20 s while the app is in
// view), and orders newer than the last one the seller opened the list with count as new.
import { create } from "zustand";
import type { OrderStatus } from "./types";

const SEEN_KEY = "snapify.seller.seenOrder";

/** The lifecycle, as the server's order_service.go has it (the server's `next` wins online). */
export const TRANSITIONS: Record<string, OrderStatus[]> = {
  pending: ["confirmed", "cancelled"],
  confirmed: ["shipped", "cancelled"],
  shipped: ["delivered", "returned"],
  delivered: ["returned"],
};

interface NewOrders {
  seen: number;
  latest: number;
  setLatest(id: number): void;
  markSeen(): void;
}

export const useNewOrders = create<NewOrders>((set, get) => ({
  seen: Number(localStorage.getItem(SEEN_KEY) ?? 0),
  latest: 0,
  setLatest(id) {
    if (get().seen === 0 && !localStorage.getItem(SEEN_KEY)) {
      // The first time the app opens, the orders already there are not new.
      localStorage.setItem(SEEN_KEY, String(id));
      set({ seen: id, latest: id });
      return;
    }
    set({ latest: id });
  },
  markSeen() {
    const id = get().latest;
    localStorage.setItem(SEEN_KEY, String(id));
    set({ seen: id });
  },
}));
