// The bar chart's series styles, apart from the chart so the page can draw its legend without
// loading uPlot first. Each colour is ≥ 3:1 against white (WCAG 1.4.11); the bars differ by fill
// (solid / outlined) too, not by colour alone.
const COLOURS = ["#0958d9", "#ad4e00", "#237804"];

export function barStyle(index: number) {
  const colour = COLOURS[index % COLOURS.length]!;
  return { colour, solid: index % 2 === 0 };
}
