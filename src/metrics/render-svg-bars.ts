import { escapeHtml } from "./escape-html.js";

export interface BarGroup {
  label: string;
  bars: { series: number; value: number }[];
}

export interface BarChart {
  title: string;
  unit: string;
  /** Names of the series, in the order of each group's bars (e.g. ["p50", "p99"]). */
  series: string[];
  groups: BarGroup[];
}

const COLORS = ["#2f6f9f", "#e0892b", "#5b9b4a", "#9a5bb0"];
const LABEL_W = 180;
const BAR_W = 360;
const BAR_H = 14;
const GAP = 10;

/** A horizontal bar chart as inline SVG: no script, no external resource. */
export function renderSvgBars(chart: BarChart): string {
  const max = Math.max(0, ...chart.groups.flatMap((g) => g.bars.map((b) => b.value)));
  const groupH = chart.series.length * BAR_H + GAP;
  const height = 28 + chart.groups.length * groupH + 20;
  const width = LABEL_W + BAR_W + 90;
  const rows = chart.groups.map((g, gi) => renderGroup(g, 28 + gi * groupH, max, chart.unit));
  const legend = chart.series
    .map(
      (s, i) =>
        `<rect x="${LABEL_W + i * 90}" y="${height - 14}" width="10" height="10" fill="${color(i)}"/>` +
        `<text x="${LABEL_W + i * 90 + 14}" y="${height - 5}">${escapeHtml(s)}</text>`,
    )
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11"><title>${escapeHtml(chart.title)}</title><text x="0" y="14" font-size="13" font-weight="bold">${escapeHtml(chart.title)}</text>${rows.join("")}${legend}</svg>`;
}

function renderGroup(g: BarGroup, y: number, max: number, unit: string): string {
  const label = `<text x="${LABEL_W - 6}" y="${y + BAR_H - 3}" text-anchor="end">${escapeHtml(truncate(g.label))}</text>`;
  const bars = g.bars.map((b, i) => {
    const w = max === 0 ? 0 : Math.max(1, (b.value / max) * BAR_W);
    const by = y + i * BAR_H;
    return (
      `<rect x="${LABEL_W}" y="${by}" width="${w.toFixed(1)}" height="${BAR_H - 2}" fill="${color(b.series)}"/>` +
      `<text x="${LABEL_W + w + 4}" y="${by + BAR_H - 3}">${escapeHtml(formatValue(b.value))}${escapeHtml(unit)}</text>`
    );
  });
  return label + bars.join("");
}

const color = (i: number) => COLORS[i % COLORS.length] ?? "#888";
const truncate = (s: string) => (s.length > 28 ? `${s.slice(0, 27)}…` : s);
const formatValue = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));
