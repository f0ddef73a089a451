// The Discipline Score's seven metrics as the seed weights them and docs/psydge-discipline.md
// defines them: each metric's points are out of its weight, and the total is their sum.
import type { ScoreRow } from "../types";

export type MetricKey =
  | "rule_compliance" | "session_discipline" | "risk_management" | "patience"
  | "post_win_control" | "cooldown_respect" | "revenge_prevention";

/** The seven metrics in the seed's order with their weights (maximum points). */
export const METRICS: { key: MetricKey; max: number }[] = [
  { key: "rule_compliance", max: 25 },
  { key: "session_discipline", max: 15 },
  { key: "risk_management", max: 15 },
  { key: "patience", max: 15 },
  { key: "post_win_control", max: 15 },
  { key: "cooldown_respect", max: 10 },
  { key: "revenge_prevention", max: 5 },
];

/** The tone a share of a metric's points earns: all of it good, half or more warn, less bad. */
export function toneOf(points: number, max: number): "good" | "warn" | "bad" {
  if (points >= max) return "good";
  return points * 2 >= max ? "warn" : "bad";
}

/** Score rows oldest first (the API answers newest first), one per date. */
export function chronological(rows: ScoreRow[]): ScoreRow[] {
  const byDate = new Map<string, ScoreRow>();
  for (const r of rows) if (!byDate.has(r.date)) byDate.set(r.date, r);
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** The SVG points of a 0–100 score line in a width × height box with padding. */
export function linePoints(scores: number[], width: number, height: number, pad: number): { x: number; y: number }[] {
  const n = scores.length;
  const w = width - 2 * pad;
  const h = height - 2 * pad;
  return scores.map((s, i) => ({
    x: pad + (n === 1 ? w / 2 : (w * i) / (n - 1)),
    y: pad + h - (h * Math.min(100, Math.max(0, s))) / 100,
  }));
}
