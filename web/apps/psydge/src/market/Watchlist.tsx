// The trader's whitelisted symbols with live bid, ask and spread; a quote older than 5 s by the
// server's clock is marked "Stale" (the server drops a price key after 5 s, so an old quote is
// a feed that stopped, not a quiet market). Each row reads only its own quote, so a tick
// re-renders one row; a one-second clock re-checks staleness without ticks.
import { useNow } from "@alorig/ui";
import { useT } from "../i18n";
import { isStale, useLive } from "../live/store";
import { priceDigits, spreadPoints } from "./bars";
import { useSelection } from "./selection";

export function Watchlist({ className = "" }: { className?: string }) {
  const t = useT();
  const symbols = useLive((s) => s.whitelist);
  const selected = useSelection((s) => s.symbol);
  const select = useSelection((s) => s.setSymbol);
  useNow(1000);

  return (
    <div className={`overflow-x-auto rounded-lg border border-line bg-surface ${className}`}>
      <table aria-label={t("watch.label")} className="w-full text-sm">
        <thead className="text-xs text-muted">
          <tr className="border-b border-line">
            <th scope="col" className="px-2 py-2 text-start font-medium">{t("watch.symbol")}</th>
            <th scope="col" className="px-2 py-2 text-end font-medium">{t("watch.bid")}</th>
            <th scope="col" className="px-2 py-2 text-end font-medium">{t("watch.ask")}</th>
            <th scope="col" className="px-2 py-2 text-end font-medium">{t("watch.spread")}</th>
            <th scope="col" className="px-2 py-2 text-start font-medium">{t("watch.status")}</th>
          </tr>
        </thead>
        <tbody>
          {symbols.map((sym) => <Row key={sym} symbol={sym} selected={sym === selected} onSelect={() => select(sym)} />)}
        </tbody>
      </table>
    </div>
  );
}

function Row({ symbol, selected, onSelect }: { symbol: string; selected: boolean; onSelect(): void }) {
  const t = useT();
  const q = useLive((s) => s.prices[symbol]);
  const serverNow = useLive((s) => s.serverNow);
  const stale = isStale(q, serverNow());
  const digits = q ? priceDigits(symbol, q.bid, q.ask) : 0;
  return (
    <tr className={`border-b border-line last:border-b-0 ${selected ? "bg-raised" : ""}`}>
      <th scope="row" className="px-1 py-1 text-start">
        <button type="button" aria-pressed={selected} onClick={onSelect}
          className="min-h-9 w-full rounded-md px-1 text-start font-semibold hover:bg-line aria-pressed:text-accent">
          {symbol}
        </button>
      </th>
      <td className="num px-2 py-1 text-end">{q ? q.bid.toFixed(digits) : "—"}</td>
      <td className="num px-2 py-1 text-end">{q ? q.ask.toFixed(digits) : "—"}</td>
      <td className="num px-2 py-1 text-end">{q ? spreadPoints(q.bid, q.ask, digits) : "—"}</td>
      <td className="whitespace-nowrap px-2 py-1">
        {!q ? (
          <span className="text-xs text-muted">{t("watch.noQuote")}</span>
        ) : stale ? (
          <span className="text-xs font-semibold text-warn">{t("watch.stale")}</span>
        ) : (
          <span className="text-xs text-good">{t("watch.live")}</span>
        )}
      </td>
    </tr>
  );
}
