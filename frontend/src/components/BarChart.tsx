// A grouped bar chart (uPlot bar paths, canvas) for the annual report and the home pages: each
// category has one bar per series. Pages import it lazily, so uPlot is fetched with them only
// (never with the login page). The canvas is one image for assistive technology; its label points
// to the table beside it, which has every figure.
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { barStyle } from "../features/activities/chartStyle";

export interface BarSeries {
  label: string;
  values: number[];
}

const AXIS = "rgba(0, 0, 0, 0.75)";

/** Axis numbers: whole numbers with grouping, fractions with up to two decimals. */
function axisValue(v: number): string {
  if (Number.isInteger(v)) return v.toLocaleString("zh-CN");
  return Math.abs(v) < 1 ? v.toFixed(2) : v.toLocaleString("zh-CN", { maximumFractionDigits: 1 });
}

export default function BarChart({ categories, series, label, testId, height = 260 }: { categories: string[]; series: BarSeries[]; label: string; testId: string; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  // Redrawn when the figures change, not when a parent renders new arrays with the same figures.
  const figures = JSON.stringify([categories, series]);
  useEffect(() => {
    const el = box.current;
    const [categories, series] = JSON.parse(figures) as [string[], BarSeries[]];
    if (!el || categories.length === 0) return;
    const groups = Math.max(series.length, 1);
    const stride = groups + 1;
    const xs = Array.from({ length: categories.length * stride - 1 }, (_, i) => i);
    const data = series.map((s, si) => xs.map((x) => (x % stride === si ? (s.values[Math.floor(x / stride)] ?? 0) : null)));
    const centres = categories.map((_, k) => k * stride + (groups - 1) / 2);
    const bars = uPlot.paths.bars;
    const rotate = categories.length > 4 || categories.some((c) => c.length > 5);
    const plot = new uPlot(
      {
        width: Math.max(el.clientWidth, 200),
        height,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false, range: [-0.75, xs.length - 0.25] }, y: { auto: true, range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
        axes: [
          {
            stroke: AXIS,
            grid: { show: false },
            splits: () => centres,
            values: (_u, splits) => splits.map((_v, k) => categories[k] ?? ""),
            rotate: rotate ? -45 : 0,
            size: rotate ? 90 : 40,
          },
          { stroke: AXIS, size: 70, grid: { stroke: "rgba(0, 0, 0, 0.08)" }, values: (_u, splits) => splits.map(axisValue) },
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
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(el.clientWidth, 200), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [figures, height]);
  return <div ref={box} role="img" aria-label={label} data-testid={testId} style={{ width: "100%", minHeight: height }} />;
}
