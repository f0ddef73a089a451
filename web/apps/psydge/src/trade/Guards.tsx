// Always visible on the trade screen: the cooldown countdown and the equity guard (today's
// realised R and the open risk against the loss and profit locks). Both run on the server's
// clock (serverNow), not the browser's.
import { formatRemaining, useNow } from "@alorig/ui";
import { useT } from "../i18n";
import { useLive } from "../live/store";

export function Cooldown() {
  const t = useT();
  useNow(1000);
  const until = useLive((s) => s.gate?.cooldown_until);
  const serverNow = useLive((s) => s.serverNow);
  const left = until ? Date.parse(until) - serverNow() : 0;
  const active = left > 0;
  return (
    <div className="flex items-center gap-2 text-sm">
      <span className="text-muted" aria-hidden="true">{t("trade.cooldown")}</span>
      <span role="timer" aria-label={t("trade.cooldown")} className={`font-mono font-semibold tabular-nums ${active ? "text-warn" : ""}`}>
        {active ? formatRemaining(left) : t("trade.none")}
      </span>
    </div>
  );
}

/** Where a value sits on the meter's scale, in percent (clamped). */
export function meterPos(v: number, min: number, max: number): number {
  if (max <= min) return 0;
  return Math.min(100, Math.max(0, ((v - min) / (max - min)) * 100));
}

export function EquityGuard() {
  const t = useT();
  const gate = useLive((s) => s.gate);
  const min = gate?.loss_lock_r ?? -2;
  const max = gate?.profit_lock_r ?? 3;
  const realised = gate?.realised_r ?? 0;
  const open = gate?.open_risk_r ?? 0;
  const worst = realised - open;
  const fmt = (r: number) => `${r > 0 ? "+" : r < 0 ? "−" : ""}${Math.abs(r).toFixed(2)}R`;
  const text = t("trade.guardText", { realised: fmt(realised), open: fmt(open).replace(/^\+/, ""), loss: fmt(min), profit: fmt(max) });
  const zero = meterPos(0, min, max);
  const pr = meterPos(realised, min, max);
  const pw = meterPos(worst, min, max);
  const danger = worst <= min + 1;
  return (
    <div className="flex min-w-56 flex-1 flex-col gap-1 text-sm">
      <div className="flex justify-between gap-2">
        <span className="text-muted" aria-hidden="true">{t("trade.equityGuard")}</span>
        <span className="tabular-nums" aria-hidden="true">{fmt(realised)} · {t("trade.openRisk")} {fmt(open).replace(/^\+/, "")}</span>
      </div>
      <div
        role="meter"
        aria-label={t("trade.equityGuard")}
        aria-valuemin={min}
        aria-valuemax={max}
        aria-valuenow={Math.min(max, Math.max(min, realised))}
        aria-valuetext={text}
        title={text}
        className="relative h-3 overflow-hidden rounded-full border border-line bg-raised"
      >
        {/* The open risk: from the worst case up to the realised R. */}
        <div className="absolute inset-y-0 bg-warn/50" style={{ insetInlineStart: `${Math.min(pw, pr)}%`, width: `${Math.abs(pr - pw)}%` }} />
        {/* Realised R, from zero. */}
        <div className={`absolute inset-y-0 ${realised < 0 ? "bg-bad" : "bg-good"}`}
          style={{ insetInlineStart: `${Math.min(zero, pr)}%`, width: `${Math.abs(pr - zero)}%` }} />
        <div className="absolute inset-y-0 w-px bg-fg" style={{ insetInlineStart: `${zero}%` }} />
      </div>
      <div className="flex justify-between text-xs text-muted" aria-hidden="true">
        <span className={danger ? "font-semibold text-bad" : ""}>{fmt(min)}</span>
        <span>0R</span>
        <span>{fmt(max)}</span>
      </div>
    </div>
  );
}
