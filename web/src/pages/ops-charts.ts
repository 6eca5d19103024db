/**
 * The operations console's charts, drawn by uPlot on a canvas: the x axis is a category index
 * (hours of a day, dates, decline codes) labelled with the given texts.
 */
import uPlot from 'uplot';
import { h } from '../dom.ts';

export interface ChartSeries {
  label: string;
  values: Array<number | null>;
  color: string;
  /** Bars instead of a line. */
  bars?: boolean;
  /** Drawn against the right-hand axis (a rate from 0 to 1, shown as a percentage). */
  rate?: boolean;
}

const bars = uPlot.paths.bars?.({ size: [0.6, 48] });

/** A chart of the series over the labelled categories, as wide as its container. */
export function chart(id: string, title: string, labels: readonly string[], series: readonly ChartSeries[]): HTMLElement {
  const box = h('figure', { class: 'ops-chart', id, 'data-points': labels.length }, h('figcaption', { class: 'ops-chart__title' }, title));
  const xs = labels.map((_, i) => i);
  const hasRate = series.some((s) => s.rate);
  const draw = () => {
    const width = Math.max(280, box.clientWidth || 320);
    new uPlot(
      {
        width,
        height: 200,
        scales: { x: { time: false, range: [-0.5, labels.length - 0.5] as [number, number] }, ...(hasRate ? { rate: { range: [0, 1] as [number, number] } } : {}) },
        axes: [
          { values: (_u, ticks) => ticks.map((i) => (Number.isInteger(i) ? (labels[i] ?? '') : '')), size: 36 },
          { size: 48 },
          ...(hasRate ? [{ scale: 'rate', side: 1 as const, values: (_u: uPlot, ticks: number[]) => ticks.map((v) => `${Math.round(v * 100)}%`), grid: { show: false } }] : []),
        ],
        series: [
          {},
          ...series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 2,
            ...(s.bars ? { fill: `${s.color}99`, paths: bars } : {}),
            ...(s.rate ? { scale: 'rate', points: { show: true, size: 6 }, value: (_u: uPlot, v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)}%`) } : {}),
          })),
        ],
      },
      [xs, ...series.map((s) => s.values)] as uPlot.AlignedData,
      box,
    );
  };
  // Drawn once the figure is in the page and has its width.
  requestAnimationFrame(draw);
  return box;
}
