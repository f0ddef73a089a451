// The ticket being written, kept in sessionStorage so an expired session (sign-in over the
// panel) or a reload does not lose it. The Idempotency-Key belongs to the ticket: one key until
// a placement gets a final answer, then a fresh one, so a double click or a retry after a lost
// answer places one order.
import { create } from "zustand";
import { createJSONStorage, persist } from "zustand/middleware";
import { useSelection, TIMEFRAMES, type Timeframe } from "../market/selection";
import type { Direction } from "./arithmetic";

export interface TicketFields {
  direction: Direction;
  /** The stop as typed: a price, or pips when stopInPips. */
  stopText: string;
  stopInPips: boolean;
  takeProfitText: string;
  riskText: string;
  volumeText: string;
  /** Which of risk % and volume the trader typed; the other is computed from it. */
  sizeFrom: "risk" | "volume";
}

interface TicketState extends TicketFields {
  idempotencyKey: string;
  /** The selection the ticket was written for, restored after a reload. */
  symbol?: string;
  timeframe?: Timeframe;
  update(p: Partial<TicketFields>): void;
  /** A fresh key: the previous one got its final answer. */
  renewKey(): void;
  /** A placed ticket: stop and take profit cleared, a fresh key; direction and size kept. */
  reset(): void;
}

export function newKey(): string {
  return crypto.randomUUID();
}

export const emptyTicket: TicketFields = {
  direction: "buy",
  stopText: "",
  stopInPips: false,
  takeProfitText: "",
  riskText: "0.5",
  volumeText: "",
  sizeFrom: "risk",
};

export const useTicket = create<TicketState>()(
  persist(
    (set) => ({
      ...emptyTicket,
      idempotencyKey: newKey(),
      update: (p) => {
        const sel = useSelection.getState();
        set({ ...p, symbol: sel.symbol, timeframe: sel.timeframe });
      },
      renewKey: () => set({ idempotencyKey: newKey() }),
      reset: () => set((s) => ({ stopText: "", takeProfitText: "", volumeText: s.sizeFrom === "volume" ? s.volumeText : "", idempotencyKey: newKey() })),
    }),
    {
      name: "psydge.ticket",
      storage: createJSONStorage(() => sessionStorage),
      partialize: (s) => ({
        direction: s.direction, stopText: s.stopText, stopInPips: s.stopInPips, takeProfitText: s.takeProfitText,
        riskText: s.riskText, volumeText: s.volumeText, sizeFrom: s.sizeFrom, idempotencyKey: s.idempotencyKey,
        symbol: s.symbol, timeframe: s.timeframe,
      }),
      onRehydrateStorage: () => (s) => {
        if (!s) return;
        const sel = useSelection.getState();
        if (s.symbol && s.symbol !== sel.symbol) sel.setSymbol(s.symbol);
        if (s.timeframe && (TIMEFRAMES as readonly string[]).includes(s.timeframe) && s.timeframe !== sel.timeframe) sel.setTimeframe(s.timeframe);
      },
    },
  ),
);

// The selection is part of the ticket: keep the snapshot current when the watchlist or the
// chart changes it.
useSelection.subscribe((sel) => {
  const t = useTicket.getState();
  if (t.symbol !== sel.symbol || t.timeframe !== sel.timeframe) useTicket.setState({ symbol: sel.symbol, timeframe: sel.timeframe });
});
