// Charts with uPlot (served by the service from its webjar). A chart draws floats; every figure a
// person reads as a number is in the tables next to it, exact.
import { brl, h } from './core.js';

const COLOURS = ['#1f5f99', '#c2571a', '#2e7d32', '#8e24aa', '#b71c1c', '#00838f', '#6d4c41', '#5d6d7e'];

function money(v) {
  return v === null || v === undefined ? '—' : brl(v.toFixed(2));
}

function sized(box, make) {
  const width = () => Math.max(280, box.clientWidth || 600);
  const chart = make(width());
  new ResizeObserver(() => chart.setSize({ width: width(), height: chart.height })).observe(box);
  return chart;
}

/** Bars per label, one colour per series (one or two, side by side): [{ label, values }]. */
export function barChart(box, labels, series, title) {
  const holder = h('div', { class: 'chart', role: 'img', 'aria-label': title });
  box.append(holder);
  const n = labels.length;
  const width = 0.8 / series.length;
  return sized(holder, (w) => new uPlot({
    title, width: w, height: 280,
    scales: { x: { time: false, range: [-0.5, n - 0.5] } },
    axes: [
      { splits: () => labels.map((_, i) => i), values: (u, splits) => splits.map((i) => labels[i] ?? ''), size: 40 },
      { values: (u, values) => values.map((v) => money(v)), size: 90 },
    ],
    cursor: { points: { show: false } },
    series: [{ label: 'category', value: (u, i) => labels[i] ?? '' },
      ...series.map((s, index) => ({
        label: s.label, stroke: COLOURS[index], fill: COLOURS[index] + 'cc', width: 1, value: (u, v) => money(v),
        // two series: the first left of its category's tick, the second right of it
        paths: uPlot.paths.bars({ size: [width, 60], align: series.length === 1 ? 0 : index === 0 ? -1 : 1 }),
        points: { show: false },
      }))],
  }, [labels.map((_, i) => i), ...series.map((s) => s.values)], holder));
}

/** Points over time, one colour per series: x in seconds, series [{ label, values }] (null where none). */
export function timeChart(box, xs, series, title) {
  const holder = h('div', { class: 'chart', role: 'img', 'aria-label': title });
  box.append(holder);
  return sized(holder, (w) => new uPlot({
    title, width: w, height: 280,
    axes: [{}, { values: (u, values) => values.map((v) => money(v)), size: 90 }],
    series: [{ label: 'day', value: (u, v) => (v === null ? '—' : new Date(v * 1000).toISOString().slice(0, 10)) },
      ...series.map((s, index) => ({
        label: s.label, stroke: COLOURS[index % COLOURS.length], fill: COLOURS[index % COLOURS.length],
        value: (u, v) => money(v), paths: () => null,
        points: { show: true, size: 9, fill: COLOURS[index % COLOURS.length] },
      }))],
  }, [xs, ...series.map((s) => s.values)], holder));
}
