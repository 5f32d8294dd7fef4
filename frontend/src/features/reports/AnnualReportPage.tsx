// 年度报告 (`/reports/annual?year=&village=`): the department's (or one village's) year computed by
// the server — stationing, pairing and assistance, party members, projects, funds, activities,
// cooperatives, needs (presence and disclosures when the server sends them) — as figures and
// tables in Chinese with charts (uPlot, lazily), the year-on-year comparison, downloads (xlsx /
// CSV from the server) and a print stylesheet (index.css `@media print`: A4, no menus or buttons).
import { PrinterOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { Alert, Button, Empty, Select, Spin, Table } from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useAuth } from "../../auth/AuthContext";
import { DownloadButtons } from "../../components/DownloadButton";
import { PageTitle } from "../../components/PageTitle";
import { VillageSelect } from "../../components/pickers";
import { isVillageUser } from "../../components/roles";
import { useSearchState } from "../../components/useSearchState";
import { formatCount, formatYuan } from "../../lib/amounts";
import { thisYear } from "../households/api";
import { KINDS as LEDGER_KINDS, SOURCES } from "../ledger/api";
import { CATEGORIES as PROJECT_CATEGORIES, STAGES } from "../projects/api";
import { compareRange, entries, fenToWan, FIRST_YEAR, fetchCompare, fetchReport, optionalSection, reportKeys, type AnnualComparison, type AnnualReport } from "./api";
import { Chart, FigureTable, Figures, Section } from "./ReportParts";

const num = (v: string | undefined) => (v && /^\d+$/.test(v) ? Number(v) : undefined);

export default function AnnualReportPage() {
  const { t, i18n } = useTranslation();
  const { me, role } = useAuth();
  const search = useSearchState();
  const villageUser = isVillageUser(role);
  const myVillages = me?.villages ?? [];
  const requested = num(search.get("year"));
  const year = requested !== undefined && requested >= FIRST_YEAR && requested <= thisYear() ? requested : thisYear() - 1;
  const village_id = num(search.get("village"));
  const query = { year, village_id };
  const report = useQuery({ queryKey: reportKeys.annual(query), queryFn: () => fetchReport(query) });
  const range = compareRange(year, village_id);
  const compare = useQuery({ queryKey: reportKeys.compare(range), queryFn: () => fetchCompare(range) });
  const years = Array.from({ length: thisYear() + 1 - FIRST_YEAR }, (_, i) => thisYear() - i);
  const data = report.data;
  const place = data ? (data.village_name ?? t("report.allVillages")) : "";
  return (
    <>
      <PageTitle
        extra={
          <span className="no-print" style={{ display: "inline-flex", gap: 8, flexWrap: "wrap" }}>
            <DownloadButtons path="/api/v1/reports/annual" query={query} baseName={t("report.fileName", { year })} />
            <Button icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="report-print">
              {t("report.print")}
            </Button>
          </span>
        }
      >
        {t("report.title")}
      </PageTitle>
      <div className="page-toolbar no-print">
        <Select<number>
          aria-label={t("report.year")}
          value={year}
          onChange={(v) => search.set({ year: String(v) })}
          options={years.map((y) => ({ value: y, label: t("project.yearOption", { year: y }) }))}
          style={{ minWidth: 110 }}
          data-testid="report-year"
        />
        {villageUser ? (
          myVillages.length > 1 && (
            <Select<number>
              allowClear
              aria-label={t("report.village")}
              placeholder={t("report.allVillages")}
              value={village_id}
              onChange={(v) => search.set({ village: v ? String(v) : null })}
              options={myVillages.map((v) => ({ value: v.id, label: v.name }))}
              style={{ minWidth: 140 }}
              data-testid="report-village"
            />
          )
        ) : (
          <VillageSelect
            aria-label={t("report.village")}
            placeholder={t("report.allVillages")}
            value={village_id}
            onChange={(v) => search.set({ village: v ? String(v) : null })}
            style={{ minWidth: 160 }}
            data-testid="report-village"
          />
        )}
      </div>
      {report.error && <Alert type="error" showIcon message={t("common.loadFailed")} description={report.error.message} />}
      {report.isPending ? (
        <Spin />
      ) : (
        data && (
          <div data-testid="report" data-year={data.year} lang={i18n.language.startsWith("en") ? "en" : "zh-CN"}>
            <p className="report-print-title" data-testid="report-heading">
              {t("report.printHeading", { year: data.year, department: data.department.name, place })}
            </p>
            <ReportSections report={data} />
            <CompareSection compare={compare.data} error={compare.error} pending={compare.isPending} />
          </div>
        )
      )}
    </>
  );
}

function ReportSections({ report }: { report: AnnualReport }) {
  const { t, i18n } = useTranslation();
  const count = (n: number) => formatCount(n, i18n.language);
  const yuan = (fen: number) => `${formatYuan(fen, i18n.language)} ${t("ledger.yuan")}`;
  const wan = t("report.wan");
  const { stationing, pairing, projects, funds, activities, cooperatives, needs } = report;

  const assistance = entries(pairing.assistance_by_kind, ["cash", "goods", "service"]).map(([code, fen]) => ({ code, fen }));
  const stages = entries(projects.by_stage, STAGES).map(([code, n]) => ({ code, n }));
  const categories = entries(projects.by_category, PROJECT_CATEGORIES).map(([code, f]) => ({ code, ...f }));
  const sources = entries(funds.by_source, SOURCES).map(([code, fen]) => ({ code, fen }));
  const kinds = entries(funds.by_kind, LEDGER_KINDS).map(([code, fen]) => ({ code, fen }));
  const donors = funds.donors.map((d, i) => ({ code: String(i), ...d }));
  const activityKinds = entries(activities.by_kind).map(([code, f]) => ({ code, ...f }));
  const skills = entries(activities.trainings_by_skill).map(([code, f]) => ({ code, ...f }));

  const stageName = (c: string) => t(`project.stages.${c}`, { defaultValue: c });
  const categoryName = (c: string) => t(`project.categories.${c}`, { defaultValue: c });
  const activityName = (c: string) => t(`activity.kinds.${c}`, { defaultValue: c });

  const charts = useMemo(
    () => ({
      assistance: [{ label: t("report.amountWan", { unit: wan }), values: assistance.map((r) => fenToWan(r.fen)) }],
      stages: [{ label: t("report.projectCount"), values: stages.map((r) => r.n) }],
      categories: [
        { label: t("report.budgetWan"), values: categories.map((r) => fenToWan(r.budget_fen)) },
        { label: t("report.fundsWan"), values: categories.map((r) => fenToWan(r.funds_fen)) },
      ],
      sources: [{ label: t("report.amountWan", { unit: wan }), values: sources.map((r) => fenToWan(r.fen)) }],
      kinds: [{ label: t("report.amountWan", { unit: wan }), values: kinds.map((r) => fenToWan(r.fen)) }],
      activities: [
        { label: t("activitySummary.participants"), values: activityKinds.map((r) => r.participants) },
        { label: t("activitySummary.beneficiaries"), values: activityKinds.map((r) => r.beneficiaries) },
      ],
    }),
    [t, wan, assistance, stages, categories, sources, kinds, activityKinds],
  );

  const later = (["presence", "disclosures"] as const).map((name) => ({ name, figures: optionalSection(report, name) }));

  return (
    <>
      <Section title={t("report.sections.stationing")} testId="report-stationing">
        <Figures
          prefix="stationing"
          figures={[
            { key: "villages", label: t("report.stationing.villages"), value: count(stationing.villages) },
            { key: "teams", label: t("report.stationing.teams"), value: count(stationing.teams) },
            { key: "cadres_stationed", label: t("report.stationing.cadres_stationed"), value: count(stationing.cadres_stationed) },
            { key: "rounds", label: t("report.stationing.rounds"), value: count(stationing.rounds) },
            { key: "party_members_developed", label: t("report.partyMembers"), value: count(report.party_members_developed) },
          ]}
        />
      </Section>

      <Section title={t("report.sections.pairing")} testId="report-pairing">
        <Figures
          prefix="pairing"
          figures={[
            { key: "cadres", label: t("report.pairing.cadres"), value: count(pairing.cadres) },
            { key: "households", label: t("report.pairing.households"), value: count(pairing.households) },
            { key: "assistance_fen", label: t("report.pairing.assistance"), value: yuan(pairing.assistance_fen) },
          ]}
        />
        <Chart categories={assistance.map((r) => t(`assistance.kinds.${r.code}`, { defaultValue: r.code }))} series={charts.assistance} label={t("report.chartLabel", { what: t("report.pairing.byKind") })} testId="chart-assistance" />
        <FigureTable
          rows={assistance}
          testId="table-assistance"
          columns={[
            { key: "kind", title: t("report.pairing.kind"), render: (r) => t(`assistance.kinds.${r.code}`, { defaultValue: r.code }) },
            { key: "amount", title: t("report.amount"), render: (r) => yuan(r.fen) },
          ]}
        />
      </Section>

      <Section title={t("report.sections.projects")} testId="report-projects">
        <Figures prefix="projects" figures={[{ key: "count", label: t("report.projectCount"), value: count(projects.count) }]} />
        <Chart categories={stages.map((r) => stageName(r.code))} series={charts.stages} label={t("report.chartLabel", { what: t("report.projectsByStage") })} testId="chart-stages" />
        <FigureTable
          rows={stages}
          testId="table-stages"
          caption={t("report.projectsByStage")}
          columns={[
            { key: "stage", title: t("project.stage"), render: (r) => stageName(r.code) },
            { key: "count", title: t("report.projectCount"), render: (r) => count(r.n) },
          ]}
        />
        <Chart categories={categories.map((r) => categoryName(r.code))} series={charts.categories} label={t("report.chartLabel", { what: t("report.projectsByCategory") })} testId="chart-categories" />
        <FigureTable
          rows={categories}
          testId="table-categories"
          caption={t("report.projectsByCategory")}
          columns={[
            { key: "category", title: t("project.category"), render: (r) => categoryName(r.code) },
            { key: "count", title: t("report.projectCount"), render: (r) => count(r.count) },
            { key: "budget", title: t("report.budget"), render: (r) => yuan(r.budget_fen) },
            { key: "funds", title: t("report.funds"), render: (r) => yuan(r.funds_fen) },
          ]}
        />
      </Section>

      <Section title={t("report.sections.funds")} testId="report-funds" extra={<Link to={`/ledger?year=${report.year}${report.village_id ? `&village=${report.village_id}` : ""}`} className="no-print">{t("report.toLedger")}</Link>}>
        <Figures
          prefix="funds"
          figures={[
            { key: "total_fen", label: t("report.fundsFigures.total"), value: yuan(funds.total_fen) },
            { key: "spent_fen", label: t("report.fundsFigures.spent"), value: yuan(funds.spent_fen) },
            { key: "in_kind_fen", label: t("report.fundsFigures.inKind"), value: yuan(funds.in_kind_fen) },
            { key: "relief_goods_fen", label: t("report.fundsFigures.reliefGoods"), value: yuan(funds.relief_goods_fen) },
            { key: "relief_donors", label: t("report.fundsFigures.reliefDonors"), value: count(funds.relief_donors) },
            { key: "unconfirmed", label: t("report.fundsFigures.unconfirmed"), value: count(funds.unconfirmed) },
          ]}
        />
        <Chart categories={sources.map((r) => t(`ledger.sources.${r.code}`, { defaultValue: r.code }))} series={charts.sources} label={t("report.chartLabel", { what: t("report.fundsBySource") })} testId="chart-sources" />
        <FigureTable
          rows={sources}
          testId="table-sources"
          caption={t("report.fundsBySource")}
          columns={[
            { key: "source", title: t("ledger.source"), render: (r) => t(`ledger.sources.${r.code}`, { defaultValue: r.code }) },
            { key: "amount", title: t("report.amount"), render: (r) => yuan(r.fen) },
          ]}
        />
        <Chart categories={kinds.map((r) => t(`ledger.kinds.${r.code}`, { defaultValue: r.code }))} series={charts.kinds} label={t("report.chartLabel", { what: t("report.fundsByKind") })} testId="chart-kinds" />
        <FigureTable
          rows={kinds}
          testId="table-kinds"
          caption={t("report.fundsByKind")}
          columns={[
            { key: "kind", title: t("ledger.kind"), render: (r) => t(`ledger.kinds.${r.code}`, { defaultValue: r.code }) },
            { key: "amount", title: t("report.amount"), render: (r) => yuan(r.fen) },
          ]}
        />
        {donors.length > 0 && (
          <FigureTable
            rows={donors}
            testId="table-donors"
            caption={t("report.donors")}
            columns={[
              { key: "name", title: t("report.donor"), render: (r) => r.name },
              { key: "amount", title: t("report.amount"), render: (r) => yuan(r.total_fen) },
            ]}
          />
        )}
      </Section>

      <Section title={t("report.sections.activities")} testId="report-activities">
        <Figures
          prefix="activities"
          figures={[
            { key: "count", label: t("report.activities.count"), value: count(activities.total.count) },
            { key: "participants", label: t("activitySummary.participants"), value: count(activities.total.participants) },
            { key: "beneficiaries", label: t("activitySummary.beneficiaries"), value: count(activities.total.beneficiaries) },
            { key: "clinic_seen", label: t("report.activities.clinicSeen"), value: count(activities.clinics.seen) },
            { key: "medicine_fen", label: t("activitySummary.medicine"), value: yuan(activities.clinics.medicine_fen) },
          ]}
        />
        <Chart categories={activityKinds.map((r) => activityName(r.code))} series={charts.activities} label={t("report.chartLabel", { what: t("report.activitiesByKind") })} testId="chart-activities" />
        <FigureTable
          rows={activityKinds}
          testId="table-activities"
          caption={t("report.activitiesByKind")}
          columns={[
            { key: "kind", title: t("activitySummary.kind"), render: (r) => activityName(r.code) },
            { key: "count", title: t("activitySummary.count"), render: (r) => count(r.count) },
            { key: "participants", title: t("activitySummary.participants"), render: (r) => count(r.participants) },
            { key: "beneficiaries", title: t("activitySummary.beneficiaries"), render: (r) => count(r.beneficiaries) },
            { key: "value", title: t("activitySummary.value"), render: (r) => yuan(r.value_fen) },
          ]}
        />
        {skills.length > 0 && (
          <FigureTable
            rows={skills}
            testId="table-skills"
            caption={t("activitySummary.trainings")}
            columns={[
              { key: "skill", title: t("activitySummary.skill"), render: (r) => r.code },
              { key: "count", title: t("activitySummary.count"), render: (r) => count(r.count) },
              { key: "participants", title: t("activitySummary.participants"), render: (r) => count(r.participants) },
            ]}
          />
        )}
      </Section>

      <Section title={t("report.sections.cooperatives")} testId="report-cooperatives">
        <Figures
          prefix="cooperatives"
          figures={[
            { key: "count", label: t("report.coops.count"), value: count(cooperatives.count) },
            { key: "members", label: t("report.coops.members"), value: count(cooperatives.members) },
            { key: "capital_fen", label: t("report.coops.capital"), value: yuan(cooperatives.capital_fen) },
            { key: "surplus_fen", label: t("report.coops.surplus"), value: yuan(cooperatives.surplus_fen) },
            { key: "distributed_to_members_fen", label: t("report.coops.distributed"), value: yuan(cooperatives.distributed_to_members_fen) },
          ]}
        />
      </Section>

      <Section title={t("report.sections.needs")} testId="report-needs">
        <Figures
          prefix="needs"
          figures={(["raised", "resolved", "declined", "open", "overdue"] as const).map((key) => ({ key, label: t(`report.needs.${key}`), value: count(needs[key]) }))}
        />
      </Section>

      {later.map(
        ({ name, figures }) =>
          figures && (
            <Section key={name} title={t(`report.sections.${name}`)} testId={`report-${name}`}>
              <Figures
                prefix={name}
                figures={figures.map(([key, value]) => ({
                  key,
                  label: t(`report.${name}.${key}`, { defaultValue: key }),
                  value: key.endsWith("_fen") ? yuan(value) : Number.isInteger(value) ? count(value) : value.toLocaleString(i18n.language, { maximumFractionDigits: 1 }),
                }))}
              />
            </Section>
          ),
      )}
    </>
  );
}

type YearRow = AnnualComparison["years"][number] & { code: string };

function CompareSection({ compare, error, pending }: { compare: AnnualComparison | undefined; error: Error | null; pending: boolean }) {
  const { t, i18n } = useTranslation();
  const count = (n: number) => formatCount(n, i18n.language);
  const yuan = (fen: number) => formatYuan(fen, i18n.language);
  const rows: YearRow[] = useMemo(() => (compare?.years ?? []).map((y) => ({ ...y, code: String(y.year) })), [compare]);
  const series = useMemo(
    () => [
      { label: t("report.compare.received"), values: rows.map((r) => fenToWan(r.funds_received_fen)) },
      { label: t("report.compare.spent"), values: rows.map((r) => fenToWan(r.funds_spent_fen)) },
    ],
    [rows, t],
  );
  const yuanCol = (key: keyof YearRow & string, title: string) => ({ key, title, render: (r: YearRow) => yuan(r[key] as number) });
  const countCol = (key: keyof YearRow & string, title: string) => ({ key, title, render: (r: YearRow) => count(r[key] as number) });
  return (
    <Section title={t("report.sections.compare")} testId="report-compare">
      {error && <Alert type="error" showIcon message={t("common.loadFailed")} description={error.message} />}
      {pending ? (
        <Spin />
      ) : rows.length === 0 ? (
        <Empty />
      ) : (
        <>
          <Chart categories={rows.map((r) => String(r.year))} series={series} label={t("report.chartLabel", { what: t("report.compare.fundsChart") })} testId="chart-compare" />
          <Table<YearRow>
            size="small"
            rowKey="code"
            pagination={false}
            scroll={{ x: "max-content" }}
            dataSource={rows}
            data-testid="table-compare"
            columns={[
              { key: "year", title: t("report.year"), render: (_: unknown, r: YearRow) => t("project.yearOption", { year: r.year }) },
              ...[
                countCol("villages", t("report.stationing.villages")),
                countCol("cadres_stationed", t("report.stationing.cadres_stationed")),
                countCol("paired_households", t("report.pairing.households")),
                yuanCol("assistance_fen", t("report.compare.assistance")),
                countCol("projects", t("report.projectCount")),
                yuanCol("project_budget_fen", t("report.compare.budget")),
                yuanCol("funds_received_fen", t("report.compare.received")),
                yuanCol("funds_spent_fen", t("report.compare.spent")),
                countCol("activities", t("report.activities.count")),
                countCol("party_members_developed", t("report.partyMembers")),
                countCol("needs_raised", t("report.needs.raised")),
                countCol("needs_resolved", t("report.needs.resolved")),
              ].map((c) => ({ key: c.key, title: c.title, align: "right" as const, render: (_: unknown, r: YearRow) => <span data-testid={`table-compare-${r.year}-${c.key}`}>{c.render(r)}</span> })),
            ]}
          />
        </>
      )}
    </Section>
  );
}
