// A line chart of figures over the years with uPlot (≈ 20 KB gzip, canvas). Imported only by the
// comparison page, so it lives in that page's lazy chunk. The canvas is one image for assistive
// technology (its label says where the figures are); the page's table carries the same data.
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface ChartSeries {
  label: string;
  values: number[];
  /** `left` or `right` axis (two magnitudes in one chart, e.g. population and households). */
  axis: "left" | "right";
}

/** ≥ 3:1 against white (WCAG 1.4.11), told apart by dash pattern and marker too, not colour alone. */
const COLOURS = ["#0958d9", "#c41d1d", "#237804", "#ad4e00", "#531dab"];
const DASHES: (number[] | undefined)[] = [undefined, [8, 4], [2, 3], [10, 3, 2, 3], [4, 4]];
const AXIS = "rgba(0, 0, 0, 0.75)";
const HEIGHT = 300;

export function seriesStyle(index: number) {
  return { colour: COLOURS[index % COLOURS.length]!, dash: DASHES[index % DASHES.length] };
}

export default function SurveyChart({
  years,
  series,
  label,
  format,
}: {
  years: number[];
  series: ChartSeries[];
  label: string;
  format: (value: number) => string;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const axis = (scale: string, side: 1 | 3): uPlot.Axis => ({
      scale,
      side,
      stroke: AXIS,
      size: 70,
      grid: { show: side === 3, stroke: "rgba(0, 0, 0, 0.08)" },
      values: (_u, splits) => splits.map(format),
    });
    const hasRight = series.some((s) => s.axis === "right");
    const plot = new uPlot(
      {
        width: Math.max(el.clientWidth, 200),
        height: HEIGHT,
        legend: { show: false },
        scales: { x: { time: false }, left: { auto: true }, right: { auto: true } },
        axes: [
          {
            stroke: AXIS,
            grid: { show: false },
            incrs: [1, 2, 5, 10],
            values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : "")),
          },
          axis("left", 3),
          ...(hasRight ? [axis("right", 1)] : []),
        ],
        series: [
          {},
          ...series.map((s, i) => {
            const { colour, dash } = seriesStyle(i);
            return { label: s.label, scale: s.axis, stroke: colour, width: 2, dash, points: { show: true, size: 7, fill: colour } };
          }),
        ],
      },
      [years, ...series.map((s) => s.values)],
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(el.clientWidth, 200), height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [years, series, format]);
  return <div ref={box} role="img" aria-label={label} data-testid="survey-chart" style={{ width: "100%", minHeight: HEIGHT }} />;
}
