// An AI interaction's decision in the trader's words, by role: the supervisor's proposal, the
// validator's verdict, the predictor's risk, alerts and tightening proposals, the debrief's
// summary and insights, or a report's text. Shared by the history and the trade screen's notices.
import { Badge, Link, useLocale } from "@alorig/ui";
import { useT } from "../i18n";
import type { AICall } from "../types";
import { readDecision } from "./decision";

type T = ReturnType<typeof useT>;

export function Decision({ row, compact = false }: { row: AICall; compact?: boolean }) {
  const t = useT();
  const r = readDecision(row);
  switch (r.role) {
    case "trade_supervisor": {
      const d = r.decision;
      return (
        <div className="flex flex-col gap-1 text-sm">
          <p className="font-semibold">{supervisorAction(t, d.action, d.new_stop_loss, d.scale_out_fraction)}</p>
          {d.reasoning && <p>{d.reasoning}</p>}
          {d.rejected && <p className="text-muted">{t("ai.rejected", { why: d.rejected })}</p>}
        </div>
      );
    }
    case "pre_entry_validator": {
      const d = r.decision;
      return (
        <div className="flex flex-col gap-1 text-sm">
          <p><Badge tone={d.verdict === "approve" ? "good" : "bad"}>{t(`ai.verdict.${d.verdict}`)}</Badge></p>
          {d.reasoning && <p>{d.reasoning}</p>}
          {d.policy && <p className="text-muted">{t("ai.policy", { policy: d.policy })}</p>}
        </div>
      );
    }
    case "behavioral_predictor": {
      const d = r.decision;
      return (
        <div className="flex flex-col gap-1 text-sm">
          <p><Badge tone={d.risk_level === "high" ? "bad" : d.risk_level === "elevated" ? "warn" : "good"}>{t(`ai.risk.${d.risk_level}`)}</Badge></p>
          {d.alerts.length > 0 && (
            <ul aria-label={t("ai.alerts")} className="list-disc ps-5">
              {d.alerts.map((a, i) => <li key={i}>{a}</li>)}
            </ul>
          )}
          {d.tightening.length > 0 && (
            <div>
              <p className="font-medium">{t("ai.tightening")}</p>
              <ul className="list-disc ps-5">
                {d.tightening.map((p, i) => (
                  <li key={i}><span className="font-medium">{t(`ai.rule.${p.rule}`, { value: p.value })}</span>{p.reasoning && <>: {p.reasoning}</>}</li>
                ))}
              </ul>
              <Link to="/settings" className="text-accent underline">{t("ai.applyInSettings")}</Link>
            </div>
          )}
          {!compact && d.dropped && d.dropped.length > 0 && (
            <div className="text-muted">
              <p>{t("ai.dropped")}</p>
              <ul className="list-disc ps-5">{d.dropped.map((x, i) => <li key={i}>{x}</li>)}</ul>
            </div>
          )}
        </div>
      );
    }
    case "session_debrief": {
      const d = r.decision;
      return (
        <div className="flex flex-col gap-1 text-sm">
          <p className={compact ? "line-clamp-3" : undefined}>{d.summary}</p>
          {!compact && d.insights.length > 0 && (
            <ul aria-label={t("ai.insights")} className="list-disc ps-5">
              {d.insights.map((x, i) => <li key={i}>{x}</li>)}
            </ul>
          )}
        </div>
      );
    }
    case "text":
      return <p className={`text-sm ${compact ? "line-clamp-4" : "whitespace-pre-line"}`}>{r.text}</p>;
    case "none":
      return <p className="text-sm text-muted">{t("ai.noDecision")}</p>;
  }
}

function supervisorAction(t: T, action: string, stop?: number, fraction?: number): string {
  switch (action) {
    case "scale":
      return fraction ? t("ai.action.scale", { pct: Math.round(fraction * 100) }) : t("ai.action.scaleBare");
    case "tighten_sl":
      return stop ? t("ai.action.tighten_sl", { price: String(stop) }) : t("ai.action.tighten_slBare");
    default:
      return t(`ai.action.${action}`);
  }
}

/** A time as the trader's locale writes it. */
export function useWhen() {
  const locale = useLocale((s) => s.locale);
  return (iso: string) => new Date(iso).toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
}
