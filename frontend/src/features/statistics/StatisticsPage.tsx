// 区域统计 (`/statistics?year=&prefecture=&county=&view=`): the regional office's figures of every
// department (GET /stats/departments), drilled down to the counties of the region or of a
// prefecture (GET /stats/counties) and to the villages of a county (GET /stats/villages). The
// level and the choices live in the URL so back/forward and reloads keep them. Cells the server
// withheld (about fewer than `min_cell` households) show as "<3" with a tooltip. Tables scroll
// sideways on a phone; the chart is uPlot, loaded with the page. The figures come from a summary
// the server refreshes after writes; the note says when it was taken.
import { useQuery } from "@tanstack/react-query";
import { Alert, Breadcrumb, Select, Spin, Table, Tooltip } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useTranslation } from "react-i18next";
import { api, unwrap, type Schemas } from "../../api/client";
import { DownloadButton } from "../../components/DownloadButton";
import { PageTitle } from "../../components/PageTitle";
import { useSearchState } from "../../components/useSearchState";
import { formatCount, formatYuan } from "../../lib/amounts";
import { formatDateTime } from "../../lib/datetime";
import { thisYear } from "../households/api";
import { Chart } from "../reports/ReportParts";
import { fenToWan, FIRST_YEAR } from "../reports/api";

type Figures = Schemas["StatsFigures"];

interface Row {
  key: string;
  name: string;
  /** Where a click on the row leads (the next level), if anywhere. */
  next?: Record<string, string | null>;
  extra?: string;
  figures: Figures;
}

const CODE = /^\d{6}$/;

/** A withheld cell: "<3", with the reason as a tooltip. */
function Hidden({ minCell }: { minCell: number }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={t("statistics.suppressedHint", { n: minCell })}>
      <span tabIndex={0} data-testid="stats-suppressed" aria-label={t("statistics.suppressedHint", { n: minCell })}>
        {`<${minCell}`}
      </span>
    </Tooltip>
  );
}

function useDivisions() {
  return useQuery({ queryKey: ["divisions"], queryFn: () => unwrap(api.GET("/api/v1/divisions")), staleTime: Infinity, gcTime: Infinity });
}

export default function StatisticsPage() {
  const { t, i18n } = useTranslation();
  const search = useSearchState();
  const requested = Number(search.get("year"));
  const year = Number.isInteger(requested) && requested >= FIRST_YEAR && requested <= thisYear() ? requested : thisYear() - 1;
  const prefecture = CODE.test(search.get("prefecture") ?? "") ? search.get("prefecture") : undefined;
  const county = CODE.test(search.get("county") ?? "") ? search.get("county") : undefined;
  const level: "departments" | "counties" | "villages" = county ? "villages" : prefecture || search.get("view") === "counties" ? "counties" : "departments";
  const divisions = useDivisions();

  const departments = useQuery({
    queryKey: ["stats", "departments", year],
    queryFn: () => unwrap(api.GET("/api/v1/stats/departments", { params: { query: { year } } })),
    enabled: level === "departments",
  });
  const counties = useQuery({
    queryKey: ["stats", "counties", year, prefecture],
    queryFn: () => unwrap(api.GET("/api/v1/stats/counties", { params: { query: { year, prefecture: prefecture ?? undefined } } })),
    enabled: level === "counties",
  });
  const villages = useQuery({
    queryKey: ["stats", "villages", year, county],
    queryFn: () => unwrap(api.GET("/api/v1/stats/villages", { params: { query: { year, county: county ?? "" } } })),
    enabled: level === "villages",
  });

  let rows: Row[] = [];
  let total: Figures | undefined;
  let minCell = 3;
  let asOf: string | undefined;
  let nameTitle = t("statistics.department");
  let path = "/api/v1/stats/departments";
  let query: Record<string, string | number | undefined> = { year };
  let loading = false;
  let error: unknown = null;
  if (level === "departments") {
    const d = departments.data?.years[0];
    rows = (d?.departments ?? []).map((r) => ({ key: String(r.department_id), name: r.department_name, figures: r.figures, next: { view: "counties" } }));
    total = d?.total;
    minCell = departments.data?.min_cell ?? 3;
    asOf = departments.data?.as_of;
    ({ isLoading: loading, error } = departments);
  } else if (level === "counties") {
    const c = counties.data;
    rows = (c?.counties ?? []).map((r) => ({
      key: `${r.prefecture.name}/${r.county.name}`,
      name: r.county.name,
      extra: r.prefecture.name,
      figures: r.figures,
      next: r.county.code ? { county: r.county.code, view: null } : undefined,
    }));
    total = c?.total;
    minCell = c?.min_cell ?? 3;
    asOf = c?.as_of;
    nameTitle = t("statistics.county");
    path = "/api/v1/stats/counties";
    query = { year, prefecture: prefecture ?? undefined };
    ({ isLoading: loading, error } = counties);
  } else {
    const v = villages.data;
    rows = (v?.villages ?? []).map((r) => ({ key: String(r.village_id), name: r.village_name, extra: r.department_name, figures: r.figures }));
    total = v?.total;
    minCell = v?.min_cell ?? 3;
    asOf = v?.as_of;
    nameTitle = t("statistics.village");
    path = "/api/v1/stats/villages";
    query = { year, county: county ?? undefined };
    ({ isLoading: loading, error } = villages);
  }

  const countyName = county ? divisions.data?.prefectures.flatMap((p) => p.counties).find((c) => c.code === county)?.name : undefined;
  const prefectureOf = county ? divisions.data?.prefectures.find((p) => p.counties.some((c) => c.code === county)) : undefined;
  const prefectureName = prefecture ? divisions.data?.prefectures.find((p) => p.code === prefecture)?.name : prefectureOf?.name;

  const hidden = (v: number | null | undefined, fen = false) => (v === null || v === undefined ? <Hidden minCell={minCell} /> : fen ? formatYuan(v) : formatCount(v));
  const numeric = (key: keyof Figures, title: string, fen = false): ColumnsType<Row>[number] => ({
    key,
    title,
    align: "right",
    sorter: (a, b) => Number(a.figures[key] ?? -1) - Number(b.figures[key] ?? -1),
    render: (_: unknown, row: Row) => <span data-testid={`stats-cell-${row.name}-${key}`}>{hidden(row.figures[key] as number | null, fen)}</span>,
  });
  const columns: ColumnsType<Row> = [
    {
      key: "name",
      title: nameTitle,
      fixed: "left",
      sorter: (a, b) => a.name.localeCompare(b.name, "zh-CN"),
      render: (_: unknown, row: Row) =>
        row.next ? (
          <a
            href="#"
            data-testid={`stats-row-${row.name}`}
            onClick={(e) => {
              e.preventDefault();
              search.set(row.next ?? {});
            }}
          >
            {row.name}
          </a>
        ) : (
          <span data-testid={`stats-row-${row.name}`}>{row.name}</span>
        ),
    },
    ...(level === "departments" ? [] : [{ key: "extra", title: level === "counties" ? t("statistics.prefecture") : t("statistics.department"), render: (_: unknown, row: Row) => row.extra }]),
    numeric("villages_stationed", t("statistics.villagesStationed")),
    numeric("teams", t("statistics.teams")),
    numeric("cadres_stationed", t("statistics.cadres")),
    numeric("households_paired", t("statistics.householdsPaired")),
    numeric("assistance_count", t("statistics.assistanceCount")),
    numeric("assistance_fen", t("statistics.assistanceYuan"), true),
    numeric("projects", t("statistics.projects")),
    numeric("funds_received_fen", t("statistics.fundsReceived"), true),
    numeric("funds_spent_fen", t("statistics.fundsSpent"), true),
    numeric("activities", t("statistics.activities")),
    numeric("needs_resolved", t("statistics.needsResolved")),
    numeric("presence_below_minimum", t("statistics.presenceBelow")),
    numeric("disclosures_overdue", t("statistics.disclosuresOverdue")),
  ];

  const charted = [...rows].filter((r) => r.figures.funds_received_fen > 0).sort((a, b) => b.figures.funds_received_fen - a.figures.funds_received_fen).slice(0, 12);
  const years = Array.from({ length: thisYear() + 1 - FIRST_YEAR }, (_, i) => thisYear() - i);
  const baseName = t("statistics.fileName", { year });

  return (
    <>
      <PageTitle extra={<DownloadButton path={path} query={query} format="csv" fallbackName={`${baseName}.csv`} testId="stats-download-csv" />}>{t("statistics.title")}</PageTitle>
      <div className="page-toolbar">
        <Select<number>
          aria-label={t("statistics.year")}
          value={year}
          onChange={(v) => search.set({ year: String(v) })}
          options={years.map((y) => ({ value: y, label: t("project.yearOption", { year: y }) }))}
          style={{ minWidth: 110 }}
          data-testid="stats-year"
        />
        <Select<string>
          allowClear
          aria-label={t("statistics.prefecture")}
          placeholder={t("statistics.allPrefectures")}
          value={prefecture ?? prefectureOf?.code}
          onChange={(v) => search.set({ prefecture: v ?? null, county: null, view: v ? null : "counties" })}
          options={(divisions.data?.prefectures ?? []).map((p) => ({ value: p.code, label: p.name }))}
          style={{ minWidth: 140 }}
          data-testid="stats-prefecture"
        />
      </div>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[
          { title: <a href="#" onClick={(e) => { e.preventDefault(); search.set({ view: null, prefecture: null, county: null }); }} data-testid="stats-crumb-departments">{t("statistics.departments")}</a> },
          ...(level !== "departments"
            ? [{ title: <a href="#" onClick={(e) => { e.preventDefault(); search.set({ county: null, view: prefectureName && prefectureOf ? null : "counties", prefecture: prefectureOf?.code ?? prefecture ?? null }); }} data-testid="stats-crumb-counties">{prefectureName ?? t("statistics.allCounties")}</a> }]
            : []),
          ...(level === "villages" ? [{ title: <span>{countyName ?? county}</span> }] : []),
        ]}
      />
      {error ? <Alert type="error" showIcon message={t("statistics.failed")} /> : null}
      {loading ? <Spin /> : null}
      {charted.length > 0 && (
        <Chart
          categories={charted.map((r) => r.name)}
          series={[{ label: t("statistics.fundsReceivedWan"), values: charted.map((r) => fenToWan(r.figures.funds_received_fen)) }]}
          label={t("statistics.chartLabel")}
          testId="stats-chart"
        />
      )}
      <div style={{ overflowX: "auto" }}>
        <Table<Row>
          rowKey="key"
          size="small"
          data-testid={`stats-table-${level}`}
          columns={columns}
          dataSource={rows}
          pagination={false}
          scroll={{ x: "max-content" }}
          summary={() =>
            total ? (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0}>
                  <strong>{t("statistics.total")}</strong>
                </Table.Summary.Cell>
                {columns.slice(1).map((c, i) => (
                  <Table.Summary.Cell key={String(c.key)} index={i + 1} align="right">
                    {c.key === "extra" ? null : hidden(total[c.key as keyof Figures] as number | null, ["assistance_fen", "funds_received_fen", "funds_spent_fen"].includes(String(c.key)))}
                  </Table.Summary.Cell>
                ))}
              </Table.Summary.Row>
            ) : null
          }
        />
      </div>
      <p style={{ marginTop: 8, color: "rgba(0,0,0,0.65)" }}>
        {t("statistics.note", { n: minCell })}
        {asOf ? <span data-testid="stats-as-of"> {t("statistics.asOf", { time: formatDateTime(asOf, i18n.language) })}</span> : null}
      </p>
    </>
  );
}
