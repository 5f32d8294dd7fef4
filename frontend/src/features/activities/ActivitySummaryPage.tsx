// 活动汇总 (`/activities/summary?year=&village=`): the activities of a year (or of all years) and
// a village (or every village the user sees) summed by the server — counts, participants,
// beneficiaries and value by kind; trainings by skill; clinics (seen, medicine in 元,
// beneficiaries); party building — as tables, and a bar chart of participants and beneficiaries
// by kind (uPlot, loaded with this page only). The tables are the accessible form of the chart.
import { useQuery } from "@tanstack/react-query";
import { Alert, Card, Empty, Select, Spin, Table, Typography } from "antd";
import { lazy, Suspense, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useAuth } from "../../auth/AuthContext";
import { PageTitle } from "../../components/PageTitle";
import { VillageSelect } from "../../components/pickers";
import { isVillageUser } from "../../components/roles";
import { useSearchState } from "../../components/useSearchState";
import { formatCount, formatYuan } from "../../lib/amounts";
import { thisYear } from "../households/api";
import { barStyle } from "./chartStyle";
import { activityKeys, fetchSummary, kindRows, type SummaryQuery } from "./api";

const ActivityChart = lazy(() => import("./ActivityChart"));

const num = (v: string | undefined) => (v && /^\d+$/.test(v) ? Number(v) : undefined);
const sectionTitle = (text: string) => <h2 style={{ fontSize: 16, margin: 0 }}>{text}</h2>;

export default function ActivitySummaryPage() {
  const { t, i18n } = useTranslation();
  const { me, role } = useAuth();
  const search = useSearchState();
  const villageUser = isVillageUser(role);
  const myVillages = me?.villages ?? [];
  const yearParam = search.get("year");
  const year = yearParam === "all" ? undefined : (num(yearParam) ?? thisYear());
  const query: SummaryQuery = { year: year !== undefined && year >= 2011 && year <= 2100 ? year : undefined, village_id: num(search.get("village")) };
  const summary = useQuery({ queryKey: activityKeys.summary(query), queryFn: () => fetchSummary(query) });
  const years = Array.from({ length: thisYear() + 1 - 2011 }, (_, i) => thisYear() - i);
  const count = (n: number) => formatCount(n, i18n.language);
  const yuan = (fen: number) => formatYuan(fen, i18n.language);
  const figures = summary.data?.figures;
  const rows = useMemo(() => (figures ? kindRows(figures) : []), [figures]);
  const kindName = (k: string) => t(`activity.kinds.${k}`, { defaultValue: k });
  const categories = useMemo(() => rows.map((r) => t(`activity.kinds.${r.kind}`, { defaultValue: r.kind })), [rows, t]);
  const series = useMemo(
    () => [
      { label: t("activitySummary.participants"), values: rows.map((r) => r.participants) },
      { label: t("activitySummary.beneficiaries"), values: rows.map((r) => r.beneficiaries) },
    ],
    [rows, t],
  );
  const skills = figures ? Object.entries(figures.trainings_by_skill).map(([skill, f]) => ({ skill, ...f })) : [];
  const orgs = figures ? Object.entries(figures.organisations_formed).filter(([, n]) => n > 0) : [];
  return (
    <>
      <PageTitle extra={<Link to="/activities">{t("activity.list")}</Link>}>{t("activitySummary.title")}</PageTitle>
      <div className="page-toolbar">
        <Select<string>
          aria-label={t("activitySummary.year")}
          value={year === undefined ? "all" : String(year)}
          onChange={(v) => search.set({ year: v })}
          options={[{ value: "all", label: t("activitySummary.allYears") }, ...years.map((y) => ({ value: String(y), label: t("project.yearOption", { year: y }) }))]}
          style={{ minWidth: 110 }}
          data-testid="summary-year"
        />
        {villageUser ? (
          myVillages.length > 1 && (
            <Select<number>
              allowClear
              aria-label={t("activitySummary.village")}
              placeholder={t("activitySummary.allVillages")}
              value={query.village_id}
              onChange={(v) => search.set({ village: v ? String(v) : null })}
              options={myVillages.map((v) => ({ value: v.id, label: v.name }))}
              style={{ minWidth: 140 }}
              data-testid="summary-village"
            />
          )
        ) : (
          <VillageSelect
            aria-label={t("activitySummary.village")}
            placeholder={t("activitySummary.allVillages")}
            value={query.village_id}
            onChange={(v) => search.set({ village: v ? String(v) : null })}
            style={{ minWidth: 160 }}
            data-testid="summary-village"
          />
        )}
      </div>
      {summary.error && <Alert type="error" showIcon message={t("common.loadFailed")} description={summary.error.message} />}
      {summary.isPending ? (
        <Spin />
      ) : figures && figures.total.count === 0 ? (
        <Empty description={<Typography.Text type="secondary">{t("activitySummary.none")}</Typography.Text>} data-testid="summary-empty" />
      ) : (
        figures && (
          <>
            <Card size="small" className="card-wrap" title={sectionTitle(t("activitySummary.chart"))} style={{ marginBottom: 16 }}>
              <Suspense fallback={<Spin />}>
                <ActivityChart categories={categories} series={series} label={t("activitySummary.chartLabel")} />
              </Suspense>
              <ul aria-hidden="true" style={{ listStyle: "none", padding: 0, margin: "8px 0 0", display: "flex", flexWrap: "wrap", gap: 16 }}>
                {series.map((s, i) => {
                  const { colour, solid } = barStyle(i);
                  return (
                    <li key={s.label} style={{ display: "flex", alignItems: "center", gap: 6 }}>
                      <svg width="14" height="14">
                        <rect x="1" y="1" width="12" height="12" fill={solid ? colour : "white"} stroke={colour} strokeWidth="2" />
                      </svg>
                      {s.label}
                    </li>
                  );
                })}
              </ul>
            </Card>
            <Card size="small" className="card-wrap" title={sectionTitle(t("activitySummary.byKind"))} style={{ marginBottom: 16 }}>
              <Table
                size="small"
                rowKey="kind"
                pagination={false}
                scroll={{ x: "max-content" }}
                dataSource={rows}
                data-testid="summary-by-kind"
                columns={[
                  { title: t("activitySummary.kind"), dataIndex: "kind", render: kindName },
                  { title: t("activitySummary.count"), dataIndex: "count", align: "right", render: count },
                  { title: t("activitySummary.participants"), dataIndex: "participants", align: "right", render: count },
                  { title: t("activitySummary.beneficiaries"), dataIndex: "beneficiaries", align: "right", render: count },
                  { title: t("activitySummary.value"), dataIndex: "value_fen", align: "right", render: yuan },
                ]}
                summary={() => (
                  <Table.Summary.Row>
                    <Table.Summary.Cell index={0}>
                      <strong>{t("activitySummary.total")}</strong>
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={1} align="right">
                      <strong data-testid="summary-total-count">{count(figures.total.count)}</strong>
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={2} align="right">
                      <strong>{count(figures.total.participants)}</strong>
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={3} align="right">
                      <strong>{count(figures.total.beneficiaries)}</strong>
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={4} align="right">
                      <strong>{yuan(figures.total.value_fen)}</strong>
                    </Table.Summary.Cell>
                  </Table.Summary.Row>
                )}
              />
            </Card>
            <Card size="small" className="card-wrap" title={sectionTitle(t("activitySummary.trainings"))} style={{ marginBottom: 16 }}>
              {skills.length === 0 ? (
                <Typography.Text type="secondary">{t("activitySummary.noTrainings")}</Typography.Text>
              ) : (
                <Table
                  size="small"
                  rowKey="skill"
                  pagination={false}
                  dataSource={skills}
                  data-testid="summary-skills"
                  columns={[
                    { title: t("activitySummary.skill"), dataIndex: "skill" },
                    { title: t("activitySummary.count"), dataIndex: "count", align: "right", render: count },
                    { title: t("activitySummary.participants"), dataIndex: "participants", align: "right", render: count },
                  ]}
                />
              )}
            </Card>
            <Card size="small" className="card-wrap" title={sectionTitle(t("activitySummary.clinics"))} style={{ marginBottom: 16 }}>
              {figures.clinics.count === 0 ? (
                <Typography.Text type="secondary">{t("activitySummary.noClinics")}</Typography.Text>
              ) : (
                <Table
                  size="small"
                  rowKey={() => "clinics"}
                  pagination={false}
                  scroll={{ x: "max-content" }}
                  dataSource={[figures.clinics]}
                  data-testid="summary-clinics"
                  columns={[
                    { title: t("activitySummary.count"), dataIndex: "count", align: "right", render: count },
                    { title: t("activitySummary.seen"), dataIndex: "seen", align: "right", render: count },
                    { title: t("activitySummary.medicine"), dataIndex: "medicine_fen", align: "right", render: yuan },
                    { title: t("activitySummary.beneficiaries"), dataIndex: "beneficiaries", align: "right", render: count },
                  ]}
                />
              )}
            </Card>
            {(figures.party_members_developed > 0 || orgs.length > 0) && (
              <Card size="small" className="card-wrap" title={sectionTitle(t("activitySummary.party"))} data-testid="summary-party">
                <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                  {figures.party_members_developed > 0 && <li>{t("activitySummary.partyMembers", { count: figures.party_members_developed })}</li>}
                  {orgs.map(([code, n]) => (
                    <li key={code}>{t("activitySummary.organisation", { count: n, name: t(`activity.organisations.${code}`, { defaultValue: code }) })}</li>
                  ))}
                </ul>
              </Card>
            )}
          </>
        )
      )}
    </>
  );
}
