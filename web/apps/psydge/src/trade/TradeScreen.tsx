// The `/` screen: the chart and the watchlist, the order ticket with its gates, the open
// positions, and — always in view at the bottom — the cooldown countdown and the equity guard. One column on
// a phone; on a desktop the chart with the watchlist beside it, then the ticket with the gates
// beside it, then the positions.
import { Chart } from "../market/Chart";
import { Watchlist } from "../market/Watchlist";
import { useT } from "../i18n";
import { Cooldown, EquityGuard } from "./Guards";
import { Positions } from "./Positions";
import { Ticket } from "./Ticket";
import { AINotices } from "../ai/AINotices";

export function TradeScreen() {
  const t = useT();
  return (
    <div className="flex flex-col gap-4 pb-28 sm:pb-20">
      <h1 className="sr-only">{t("trade.title")}</h1>
      {/* A status bar fixed to the bottom of the viewport, so it stays in view however the
          page scrolls and whatever height the panel's header has. */}
      <div className="fixed inset-x-0 bottom-0 z-20 flex flex-wrap items-center gap-x-6 gap-y-1 border-t border-line bg-surface/95 px-4 py-2 backdrop-blur">
        <Cooldown />
        <EquityGuard />
      </div>
      <AINotices />
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_minmax(18rem,24rem)]">
        <Chart className="min-w-0" />
        <Watchlist className="min-w-0" />
      </div>
      <Ticket />
      <Positions />
    </div>
  );
}
