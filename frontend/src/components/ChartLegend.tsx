import { barStyle } from "../features/activities/chartStyle";

/** The bar chart's legend as plain HTML (drawn before uPlot arrives; hidden from screen readers, the table says it all). */
export function ChartLegend({ labels }: { labels: string[] }) {
  if (labels.length < 2) return null;
  return (
    <ul aria-hidden="true" style={{ listStyle: "none", padding: 0, margin: "8px 0 0", display: "flex", flexWrap: "wrap", gap: 16 }}>
      {labels.map((label, i) => {
        const { colour, solid } = barStyle(i);
        return (
          <li key={label} style={{ display: "flex", alignItems: "center", gap: 6 }}>
            <svg width="14" height="14">
              <rect x="1" y="1" width="12" height="12" fill={solid ? colour : "white"} stroke={colour} strokeWidth="2" />
            </svg>
            {label}
          </li>
        );
      })}
    </ul>
  );
}
