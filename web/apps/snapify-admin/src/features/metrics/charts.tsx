// Charts as inline SVG: a figure whose picture is described for screen readers (role="img"
// with a summary) and whose numbers are in a table that only assistive technology reads.
import { useId } from "react";
import { useT } from "../../i18n";

export interface Point {
  label: string;
  value: number;
}

/** Vertical bars, one a point (a day), with the largest value marked on the axis. */
export function BarChart({ title, points, format }: { title: string; points: Point[]; format(n: number): string }) {
  const t = useT();
  const id = useId();
  const W = 600, H = 180, pad = 24;
  const max = Math.max(1, ...points.map((p) => p.value));
  const bw = (W - pad) / Math.max(1, points.length);
  const top = points.reduce((a, b) => (b.value > a.value ? b : a), points[0] ?? { label: "", value: 0 });
  const total = points.reduce((s, p) => s + p.value, 0);
  const desc = t("metrics.chartDesc", {
    title, n: points.length, from: points[0]?.label ?? "", to: points.at(-1)?.label ?? "",
    max: format(top.value), maxDay: top.label, total: format(total),
  });
  return (
    <figure className="flex flex-col gap-2">
      <figcaption id={`${id}-t`} className="font-semibold">{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H + 20}`} role="img" aria-labelledby={`${id}-t ${id}-d`} className="h-auto w-full">
        <desc id={`${id}-d`}>{desc}</desc>
        <line x1={pad} y1={H} x2={W} y2={H} className="stroke-line" strokeWidth="1" />
        <text x={0} y={12} className="fill-muted text-[11px]">{format(max)}</text>
        {points.map((p, i) => {
          const h = (p.value / max) * (H - 20);
          return (
            <rect key={p.label} x={pad + i * bw + bw * 0.15} y={H - h} width={bw * 0.7} height={Math.max(h, p.value > 0 ? 1 : 0)}
              className="fill-accent"><title>{`${p.label}: ${format(p.value)}`}</title></rect>
          );
        })}
        <text x={pad} y={H + 16} className="fill-muted text-[11px]">{points[0]?.label}</text>
        <text x={W} y={H + 16} textAnchor="end" className="fill-muted text-[11px]">{points.at(-1)?.label}</text>
      </svg>
      <table className="sr-only">
        <caption>{title}</caption>
        <thead><tr><th scope="col">{t("metrics.col.day")}</th><th scope="col">{t("metrics.col.value")}</th></tr></thead>
        <tbody>{points.map((p) => <tr key={p.label}><th scope="row">{p.label}</th><td>{format(p.value)}</td></tr>)}</tbody>
      </table>
    </figure>
  );
}

/** Horizontal bars with their labels and values written out, for a ranking (cities). */
export function RankChart({ title, desc, points, format }: { title: string; desc: string; points: Point[]; format(n: number): string }) {
  const id = useId();
  const max = Math.max(1, ...points.map((p) => p.value));
  const row = 28, W = 600, labelW = 150, valueW = 130;
  return (
    <figure className="flex flex-col gap-2">
      <figcaption id={`${id}-t`} className="font-semibold">{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${Math.max(1, points.length) * row}`} role="img" aria-labelledby={`${id}-t ${id}-d`} className="h-auto w-full">
        <desc id={`${id}-d`}>{desc}</desc>
        {points.map((p, i) => (
          <g key={p.label} transform={`translate(0 ${i * row})`}>
            <text x={0} y={18} className="fill-fg text-[13px]">{p.label}</text>
            <rect x={labelW} y={6} height={16} width={Math.max((p.value / max) * (W - labelW - valueW), p.value > 0 ? 1 : 0)} className="fill-accent" />
            <text x={W} y={18} textAnchor="end" className="fill-muted text-[12px]">{format(p.value)}</text>
          </g>
        ))}
      </svg>
    </figure>
  );
}
