// Building blocks of the annual report page and the home pages: a section card, a list of
// headline figures, a table of figures by code, and a lazily loaded bar chart with its legend.
import { Spin } from "antd";
import { lazy, Suspense, useMemo, type ReactNode } from "react";
import { ChartLegend } from "../../components/ChartLegend";
import { DataTable } from "../../components/DataTable";
import { Panel } from "../../components/Panel";
import type { BarSeries } from "../../components/BarChart";

const BarChart = lazy(() => import("../../components/BarChart"));

export function Section({ title, testId, extra, children }: { title: string; testId: string; extra?: ReactNode; children: ReactNode }) {
  return (
    <Panel title={title} extra={extra} testId={testId} className="report-section">
      {children}
    </Panel>
  );
}

export interface Figure {
  key: string;
  label: string;
  value: string;
}

/** Headline figures as a definition list; each value carries `data-testid="fig-<prefix>-<key>"`. */
export function Figures({ prefix, figures }: { prefix: string; figures: Figure[] }) {
  return (
    <dl className="report-figures">
      {figures.map((f) => (
        <div key={f.key}>
          <dt>{f.label}</dt>
          <dd data-testid={`fig-${prefix}-${f.key}`}>{f.value}</dd>
        </div>
      ))}
    </dl>
  );
}

export interface Column<T> {
  title: string;
  render: (row: T) => string;
  key: string;
  align?: "left" | "right";
}

/** A small table of rows; each cell carries `data-testid="<testId>-<row>-<column>"` for the tests. */
export function FigureTable<T extends { code: string }>({ rows, columns, testId, caption }: { rows: T[]; columns: Column<T>[]; testId: string; caption?: string }) {
  return (
    <DataTable<T>
      size="small"
      rowKey={(row) => row.code}
      dataSource={rows}
      data-testid={testId}
      caption={caption}
      columns={columns.map((c, i) => ({
        key: c.key,
        title: c.title,
        align: c.align ?? (i === 0 ? "left" : "right"),
        render: (_: unknown, row: T) => <span data-testid={`${testId}-${row.code}-${c.key}`}>{c.render(row)}</span>,
      }))}
    />
  );
}

/** A bar chart loaded with the page that needs it (uPlot is its own chunk), its legend drawn at once. */
export function Chart({ categories, series, label, testId }: { categories: string[]; series: BarSeries[]; label: string; testId: string }) {
  const labels = useMemo(() => series.map((s) => s.label), [series]);
  if (categories.length === 0) return null;
  return (
    <div style={{ marginBottom: 12 }}>
      <Suspense fallback={<Spin />}>
        <BarChart categories={categories} series={series} label={label} testId={testId} />
      </Suspense>
      <ChartLegend labels={labels} />
    </div>
  );
}
