// A village's surveys side by side (`/villages/:id/surveys/compare`): a chart of the chosen figures
// over the years and every figure in a table (the chart is never the only way to read them).
// The chart library loads with this page's chunk only.
import { Alert, Card, Radio, Select, Space, Spin, Table, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useQuery } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { PageTitle } from "../../components/PageTitle";
import { useSearchState } from "../../components/useSearchState";
import { formatCount, formatYuan, tenthsToMu, formatMu } from "../../lib/amounts";
import { fetchVillage } from "../villages/api";
import { fetchComparison, surveyKeys, type CompareQuery, type SurveyComparison } from "./api";
import SurveyChart, { seriesStyle, type ChartSeries } from "./SurveyChart";

const FIRST_YEAR = 2011;
export const GROUPS = ["people", "poverty", "livestock", "income"] as const;
type Group = (typeof GROUPS)[number];
type Figure = Exclude<keyof SurveyComparison, "village_id" | "years">;

/** The figures each chart shows, and on which axis. Money is charted in 元 (drawing only). */
const CHARTS: Record<Group, { figure: Figure; label: string; axis: "left" | "right" }[]> = {
  people: [
    { figure: "population", label: "survey.population", axis: "left" },
    { figure: "households", label: "survey.households", axis: "right" },
  ],
  poverty: [
    { figure: "poor_households", label: "survey.poor_households", axis: "left" },
    { figure: "marginal_households", label: "survey.marginal_households", axis: "left" },
  ],
  livestock: [
    { figure: "yaks", label: "survey.yaks", axis: "left" },
    { figure: "sheep", label: "survey.sheep", axis: "left" },
    { figure: "goats", label: "survey.goats", axis: "left" },
    { figure: "horses", label: "survey.horses", axis: "left" },
    { figure: "other_livestock", label: "survey.other", axis: "left" },
  ],
  income: [
    { figure: "per_capita_income_fen", label: "survey.per_capita_income_fen", axis: "left" },
    { figure: "collective_income_fen", label: "survey.collective_income_fen", axis: "right" },
  ],
};

interface Row {
  year: number;
  index: number;
}

function yearParam(raw: string | undefined, last: number): number | undefined {
  const n = Number(raw);
  return raw && Number.isInteger(n) && n >= FIRST_YEAR && n <= last ? n : undefined;
}

export default function SurveyComparePage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const villageId = Number(useParams().id);
  const search = useSearchState();
  const last = new Date().getFullYear() + 1;
  const query: CompareQuery = { from: yearParam(search.get("from"), last), to: yearParam(search.get("to"), last) };
  const group: Group = (GROUPS as readonly string[]).includes(search.get("g") ?? "") ? (search.get("g") as Group) : "people";
  const village = useQuery({ queryKey: ["villages", villageId], queryFn: () => fetchVillage(villageId), enabled: Number.isFinite(villageId) });
  const data = useQuery({
    queryKey: surveyKeys.compare(villageId, query),
    queryFn: () => fetchComparison(villageId, query),
    enabled: Number.isFinite(villageId),
  });
  const c = data.data;
  const money = group === "income";
  const series: ChartSeries[] = useMemo(
    () =>
      c
        ? CHARTS[group].map((s) => ({
            label: t(s.label),
            axis: s.axis,
            // Fen → 元 for drawing only; the table shows the exact amounts.
            values: (c[s.figure] as number[]).map((v) => (money ? v / 100 : v)),
          }))
        : [],
    [c, group, money, t],
  );
  const format = useCallback((v: number) => formatCount(v, lang), [lang]);
  const n = (v: number | undefined) => (v === undefined ? "" : formatCount(v, lang));
  const yuan = (v: number | undefined) => (v === undefined ? "" : formatYuan(v, lang));
  const mu = (v: number | undefined) => (v === undefined ? "" : formatMu(tenthsToMu(v), lang));
  const name = village.data?.data.name ?? "";
  const years = Array.from({ length: last - FIRST_YEAR + 1 }, (_, i) => last - i);

  const col = (figure: Figure, label: string, show: (v: number | undefined) => string) => ({
    title: t(label),
    key: figure,
    align: "right" as const,
    render: (_: unknown, row: Row) => show(c?.[figure][row.index] as number | undefined),
  });
  const columns: ColumnsType<Row> = [
    { title: t("survey.year"), dataIndex: "year", key: "year", fixed: "left", render: (y: number) => <strong>{y}</strong> },
    col("population", "survey.population", n),
    col("households", "survey.households", n),
    col("poor_households", "survey.poor_households", n),
    col("marginal_households", "survey.marginal_households", n),
    col("pasture_mu_tenths", "survey.pasture_mu", mu),
    col("cultivated_mu_tenths", "survey.cultivated_mu", mu),
    col("yaks", "survey.yaks", n),
    col("sheep", "survey.sheep", n),
    col("goats", "survey.goats", n),
    col("horses", "survey.horses", n),
    col("other_livestock", "survey.other", n),
    col("per_capita_income_fen", "survey.per_capita_income_fen", yuan),
    col("collective_income_fen", "survey.collective_income_fen", yuan),
  ];
  const rows: Row[] = (c?.years ?? []).map((year, index) => ({ year, index }));

  return (
    <>
      <PageTitle extra={<Link to={`/villages/${villageId}`}>{t("common.back")}</Link>}>
        {name ? `${name} · ` : ""}
        {t("survey.compareTitle")}
      </PageTitle>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          placeholder={t("survey.from")}
          aria-label={t("survey.from")}
          value={query.from}
          onChange={(v?: number) => search.set({ from: v ? String(v) : null })}
          options={years.map((y) => ({ value: y, label: String(y) }))}
          style={{ width: 130 }}
          data-testid="compare-from"
        />
        <Select
          allowClear
          placeholder={t("survey.to")}
          aria-label={t("survey.to")}
          value={query.to}
          onChange={(v?: number) => search.set({ to: v ? String(v) : null })}
          options={years.map((y) => ({ value: y, label: String(y) }))}
          style={{ width: 130 }}
          data-testid="compare-to"
        />
      </Space>
      {data.error && <Alert type="error" showIcon message={t("common.loadFailed")} description={data.error.message} data-testid="compare-error" />}
      {data.isPending && <Spin />}
      {c && (
        <>
          <Card size="small" style={{ marginBottom: 16 }}>
            <Radio.Group
              optionType="button"
              value={group}
              onChange={(e) => search.set({ g: e.target.value as string })}
              options={GROUPS.map((g) => ({ value: g, label: t(`survey.groups.${g}`) }))}
              aria-label={t("survey.figures")}
              style={{ marginBottom: 12 }}
              data-testid="compare-group"
            />
            {c.years.length === 0 ? (
              <Typography.Paragraph data-testid="compare-empty">{t("survey.noYears")}</Typography.Paragraph>
            ) : (
              <>
                <SurveyChart
                  years={c.years}
                  series={series}
                  format={format}
                  label={t("survey.chartLabel", { village: name, group: t(`survey.groups.${group}`) })}
                />
                <ul className="chart-legend" data-testid="chart-legend" style={{ listStyle: "none", padding: 0, margin: "8px 0 0", display: "flex", flexWrap: "wrap", gap: "4px 16px" }}>
                  {series.map((s, i) => {
                    const { colour, dash } = seriesStyle(i);
                    return (
                      <li key={s.label} style={{ display: "flex", alignItems: "center", gap: 6 }}>
                        <svg width="28" height="10" aria-hidden="true">
                          <line x1="0" y1="5" x2="28" y2="5" stroke={colour} strokeWidth="2" strokeDasharray={dash?.join(" ")} />
                          <circle cx="14" cy="5" r="3.5" fill={colour} />
                        </svg>
                        {s.label}
                        {CHARTS[group].length > 1 && CHARTS[group].some((x) => x.axis === "right") && (
                          <Typography.Text type="secondary">（{CHARTS[group][i]?.axis === "right" ? t("survey.axisRight") : t("survey.axisLeft")}）</Typography.Text>
                        )}
                      </li>
                    );
                  })}
                </ul>
              </>
            )}
          </Card>
          {rows.length > 0 && (
            <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t("survey.table")}</h2>}>
              <Table<Row>
                rowKey="year"
                size="small"
                dataSource={rows}
                columns={columns}
                pagination={false}
                scroll={{ x: "max-content" }}
                data-testid="compare-table"
              />
            </Card>
          )}
        </>
      )}
    </>
  );
}
