// A grouped bar chart of the activities by kind (participants and beneficiaries) with uPlot's bar
// paths (canvas). The summary page imports it lazily, so uPlot is a chunk of its own fetched with
// that page only (never with the login page). The canvas is one image for assistive technology; its
// label points to the table with every figure.
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { barStyle } from "./chartStyle";

export interface BarSeries {
  label: string;
  values: number[];
}

const AXIS = "rgba(0, 0, 0, 0.75)";
const HEIGHT = 300;

export default function ActivityChart({ categories, series, label }: { categories: string[]; series: BarSeries[]; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || categories.length === 0) return;
    // Each kind takes `groups` slots side by side and one empty slot after them; series i has a
    // value at its own slot of every kind and nothing elsewhere (bars are not drawn for null).
    const groups = Math.max(series.length, 1);
    const stride = groups + 1;
    const xs = Array.from({ length: categories.length * stride - 1 }, (_, i) => i);
    const data = series.map((s, si) => xs.map((x) => (x % stride === si ? (s.values[Math.floor(x / stride)] ?? 0) : null)));
    const centres = categories.map((_, k) => k * stride + (groups - 1) / 2);
    const bars = uPlot.paths.bars;
    const plot = new uPlot(
      {
        width: Math.max(el.clientWidth, 200),
        height: HEIGHT,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false, range: [-0.75, xs.length - 0.25] }, y: { auto: true, range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
        axes: [
          {
            stroke: AXIS,
            grid: { show: false },
            splits: () => centres,
            values: (_u, splits) => splits.map((_v, k) => categories[k] ?? ""),
            rotate: categories.length > 4 ? -45 : 0,
            size: categories.length > 4 ? 90 : 40,
          },
          { stroke: AXIS, size: 60, grid: { stroke: "rgba(0, 0, 0, 0.08)" }, values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : "")) },
        ],
        series: [
          {},
          ...series.map((s, i) => {
            const { colour, solid } = barStyle(i);
            return {
              label: s.label,
              stroke: colour,
              width: 2,
              fill: solid ? colour : "rgba(255, 255, 255, 0)",
              points: { show: false },
              paths: bars ? bars({ size: [0.9, 60] }) : undefined,
            };
          }),
        ],
      },
      [xs, ...data],
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(el.clientWidth, 200), height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [categories, series]);
  return <div ref={box} role="img" aria-label={label} data-testid="activity-chart" style={{ width: "100%", minHeight: HEIGHT }} />;
}
