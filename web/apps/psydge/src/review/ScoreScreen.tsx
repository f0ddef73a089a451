// Score: today's running Discipline Score with its seven metrics, and the daily score history
// as an inline SVG line chart (no chart library in the first load) with the same figures in a
// table for screen readers. A `score` event on the live channel fetches both again.
import { useId } from "react";
import { Badge, Card, ProblemAlert, useLocale } from "@alorig/ui";
import { useT } from "../i18n";
import { useLive } from "../live/store";
import type { ScoreRow } from "../types";
import { METRICS, chronological, linePoints, toneOf } from "./score";
import { useGet } from "./useGet";

const HISTORY_DAYS = 30;

export function ScoreScreen() {
  const t = useT();
  const version = useLive((s) => s.scoreVersion);
  const today = useGet<ScoreRow>("/scores/today", undefined, version);
  const history = useGet<ScoreRow[]>("/scores", { limit: HISTORY_DAYS }, version);
  return (
    <div className="mx-auto flex max-w-4xl flex-col gap-4">
      <h1 className="text-xl font-bold">{t("score.title")}</h1>
      {today.error !== undefined && <ProblemAlert error={today.error} />}
      {today.data ? <TodayScore row={today.data} /> : today.loading && <p role="status">{t("common.loading")}</p>}
      <Card title={t("score.history", { n: HISTORY_DAYS })}>
        {history.error !== undefined && <ProblemAlert error={history.error} />}
        {history.data && (history.data.length === 0
          ? <p className="text-sm text-muted">{t("score.noHistory")}</p>
          : <ScoreChart rows={chronological(history.data)} />)}
      </Card>
    </div>
  );
}

export function TodayScore({ row }: { row: ScoreRow }) {
  const t = useT();
  const b = row.metric_breakdown;
  return (
    <Card title={t("score.today", { date: row.date })}>
      <p className="mb-4 flex items-baseline gap-2">
        <span className="text-5xl font-bold tabular-nums" data-testid="score-total">{row.score}</span>
        <span className="text-muted">/ 100</span>
        <Badge tone={toneOf(row.score, 100)}>{t(row.score >= 100 ? "score.clean" : row.score >= 50 ? "score.some" : "score.many")}</Badge>
      </p>
      <ul aria-label={t("score.metrics")} className="flex flex-col gap-3">
        {METRICS.map((m) => {
          const points = b[m.key];
          const tone = toneOf(points, m.max);
          const label = t(`score.metric.${m.key}`);
          return (
            <li key={m.key} data-metric={m.key}>
              <div className="flex items-baseline justify-between gap-2 text-sm">
                <span>
                  {label} <span className="text-xs text-muted">{t("score.weight", { max: m.max })}</span>
                </span>
                <span dir="ltr" className="font-mono tabular-nums">{points} / {m.max}</span>
              </div>
              <div role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={m.max} aria-valuenow={points}
                aria-valuetext={`${points} / ${m.max}`} className="mt-1 h-2 overflow-hidden rounded bg-raised">
                <div className={`h-full ${tone === "good" ? "bg-good" : tone === "warn" ? "bg-warn" : "bg-bad"}`}
                  style={{ width: `${(100 * Math.max(0, points)) / m.max}%` }} />
              </div>
              <p className="mt-1 text-xs text-muted">{t(`score.about.${m.key}`)}</p>
            </li>
          );
        })}
      </ul>
    </Card>
  );
}

const W = 640;
const H = 220;
const PAD = 28;

/** The history as a line chart; the same data is in a visually hidden table. */
export function ScoreChart({ rows }: { rows: ScoreRow[] }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const id = useId();
  const pts = linePoints(rows.map((r) => r.score), W, H, PAD);
  const first = rows[0]!;
  const last = rows[rows.length - 1]!;
  const avg = Math.round(rows.reduce((a, r) => a + r.score, 0) / rows.length);
  const day = (d: string) => new Date(`${d}T12:00:00Z`).toLocaleDateString(locale, { month: "short", day: "numeric", timeZone: "UTC" });
  return (
    <figure className="flex flex-col gap-2">
      <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full" role="img" aria-labelledby={`${id}-t ${id}-d`}>
        <title id={`${id}-t`}>{t("score.chart")}</title>
        <desc id={`${id}-d`}>{t("score.chartDesc", { n: rows.length, from: first.date, to: last.date, last: last.score, avg })}</desc>
        {[0, 50, 100].map((v) => {
          const y = PAD + (H - 2 * PAD) * (1 - v / 100);
          return (
            <g key={v} aria-hidden="true">
              <line x1={PAD} x2={W - PAD} y1={y} y2={y} className="stroke-line" strokeDasharray={v === 0 ? undefined : "4 4"} />
              <text x={PAD - 6} y={y + 4} textAnchor="end" className="fill-muted text-[11px]">{v}</text>
            </g>
          );
        })}
        <polyline aria-hidden="true" points={pts.map((p) => `${p.x},${p.y}`).join(" ")} fill="none" className="stroke-accent" strokeWidth={2.5} strokeLinejoin="round" />
        {pts.map((p, i) => (
          <circle key={rows[i]!.date} aria-hidden="true" cx={p.x} cy={p.y} r={3.5} className="fill-accent">
            <title>{`${rows[i]!.date}: ${rows[i]!.score}`}</title>
          </circle>
        ))}
        <text aria-hidden="true" x={PAD} y={H - 6} className="fill-muted text-[11px]">{day(first.date)}</text>
        <text aria-hidden="true" x={W - PAD} y={H - 6} textAnchor="end" className="fill-muted text-[11px]">{day(last.date)}</text>
      </svg>
      {/* A table ignores the 1px box sr-only gives it and widens the page: its wrapper is hidden instead. */}
      <div className="sr-only">
        <table>
          <caption>{t("score.chart")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("score.date")}</th>
              <th scope="col">{t("score.score")}</th>
              {METRICS.map((m) => <th key={m.key} scope="col">{t(`score.metric.${m.key}`)}</th>)}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.date}>
                <th scope="row">{r.date}</th>
                <td>{r.score}</td>
                {METRICS.map((m) => <td key={m.key}>{r.metric_breakdown[m.key]}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
