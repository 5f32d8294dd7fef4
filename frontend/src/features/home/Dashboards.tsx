// The role home pages. Each card is one bounded call (a list's first page with its total, the
// annual comparison, the annual report) and links to the list behind it.
// - department: funds over the years (compare endpoint, chart + table), projects by stage, ledger
//   entries unconfirmed for more than 30 days, the needs waiting longest, this year's pairing,
//   cadres below the days-in-village rule last month (the first 50 active teams' summaries, in
//   parallel), this year's disclosures overdue and due (the annual report's figures).
// - team: this month's ledger (and 记一笔), open needs, projects waiting for a move, this month's
//   presence (the cadre's own row of its team's summary, else the team's count below the minimum).
// - village_committee: entries to confirm, decisions in progress (the oldest first), disclosures
//   overdue and due in the village's calendar of this year.
import { useQueries, useQuery } from "@tanstack/react-query";
import { Alert, Button, Spin } from "antd";
import { useMemo, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useAuth } from "../../auth/AuthContext";
import { DataTable } from "../../components/DataTable";
import { PageTitle } from "../../components/PageTitle";
import { Panel } from "../../components/Panel";
import { VillageName } from "../../components/VillageName";
import { formatCount, formatYuan } from "../../lib/amounts";
import { today, thisYear } from "../households/api";
import { fetchLedger, ledgerKeys, PENDING_QUERY, CONFIRMATION_DAYS, type LedgerQuery } from "../ledger/api";
import { fetchNeeds, needKeys, type NeedQuery } from "../needs/api";
import { fetchProjects, projectKeys, STAGES } from "../projects/api";
import { fenToWan, fetchCompare, fetchReport, homeCompareRange, reportKeys } from "../reports/api";
import { Chart } from "../reports/ReportParts";
import { api, unwrap } from "../../api/client";
import { fetchDecisions, decisionKeys, type DecisionQuery } from "../decisions/api";
import { fetchBelowMinimum, fetchSummary, monthOf, presenceKeys, shiftMonth } from "../presence/api";
import { teamLabel } from "../teams/api";

function HomeCard({ title, testId, to, children, loading, error }: { title: string; testId: string; to?: string; children: ReactNode; loading?: boolean; error?: Error | null }) {
  const { t } = useTranslation();
  return (
    <Panel title={title} extra={to && <Link to={to} data-testid={`${testId}-link`}>{t("home.all")}</Link>} testId={testId}>
      {error && <Alert type="error" showIcon message={t("common.loadFailed")} description={error.message} />}
      {loading ? <Spin /> : children}
    </Panel>
  );
}

function BigCount({ value, testId, suffix }: { value: number; testId: string; suffix?: string }) {
  const { i18n } = useTranslation();
  return (
    <p style={{ fontSize: 24, fontWeight: 600, margin: "0 0 8px" }}>
      <span data-testid={testId}>{formatCount(value, i18n.language)}</span>
      {suffix && <span style={{ fontSize: 14, fontWeight: 400, marginInlineStart: 4 }}>{suffix}</span>}
    </p>
  );
}

const None = () => {
  const { t } = useTranslation();
  return <span className="text-secondary">{t("home.none")}</span>;
};

// ----- shared cards -----

function UnconfirmedCard({ title, query, to, testId }: { title: string; query: LedgerQuery; to: string; testId: string }) {
  const { t, i18n } = useTranslation();
  const list = useQuery({ queryKey: ledgerKeys.list(query), queryFn: () => fetchLedger(query) });
  const items = list.data?.items ?? [];
  const total = list.data?.total?.count ?? items.length;
  return (
    <HomeCard title={title} testId={testId} to={to} loading={list.isPending} error={list.error}>
      <BigCount value={total} testId={`${testId}-count`} suffix={t("home.entriesUnit")} />
      {items.length === 0 ? (
        <None />
      ) : (
        <ul className="home-list">
          {items.slice(0, 5).map((e) => (
            <li key={e.id}>
              <span>
                {e.date} {e.village_name} {t(`ledger.kinds.${e.kind}`, { defaultValue: e.kind })}
              </span>
              <span>
                {formatYuan(e.amount_fen, i18n.language)} {t("ledger.yuan")}
              </span>
            </li>
          ))}
        </ul>
      )}
    </HomeCard>
  );
}

function NeedsCard({ title, testId, villageId }: { title: string; testId: string; villageId?: number }) {
  const { t } = useTranslation();
  const query: NeedQuery = { sort: "queue", status: "open", limit: 5, village_id: villageId };
  const list = useQuery({ queryKey: needKeys.list(query), queryFn: () => fetchNeeds(query) });
  const items = list.data?.items ?? [];
  const to = villageId ? `/needs?village=${villageId}` : "/needs/overview?status=open";
  return (
    <HomeCard title={title} testId={testId} to={to} loading={list.isPending} error={list.error}>
      <BigCount value={list.data?.total?.count ?? items.length} testId={`${testId}-count`} />
      {items.length === 0 ? (
        <None />
      ) : (
        <ul className="home-list">
          {items.map((n) => (
            <li key={n.id}>
              <span>
                {n.village_name} · {t(`need.categories.${n.category}`, { defaultValue: n.category })}：{n.description}
              </span>
              <span className={n.overdue ? "text-danger" : "text-secondary"}>{t("home.raisedOn", { date: n.raised_on })}</span>
            </li>
          ))}
        </ul>
      )}
    </HomeCard>
  );
}

function MyVillages() {
  const { t } = useTranslation();
  const { me } = useAuth();
  return (
    <HomeCard title={t("home.myVillage")} testId="home-card-village">
      <ul className="home-list">
        {(me?.villages ?? []).map((v) => (
          <li key={v.id}>
            <Link to={`/villages/${v.id}`} data-testid="home-village">
              <VillageName name={v.name} nameBo={v.name_bo} />
            </Link>
            <Link to={`/reports/annual?village=${v.id}`}>{t("home.report")}</Link>
          </li>
        ))}
      </ul>
    </HomeCard>
  );
}

// ----- presence, disclosures, decisions (issue 12: the cards of the later modules) -----

/** Active teams of a village asked for their month (a village has one, two when rounds overlap). */
const VILLAGE_TEAMS = 10;

const activeTeamsQuery = (villageId?: number) => ({ active: true, limit: VILLAGE_TEAMS, village_id: villageId });
const fetchActiveTeams = (villageId?: number) => unwrap(api.GET("/api/v1/teams", { params: { query: activeTeamsQuery(villageId) } }));

/** Cadres below the department's days-in-village minimum last month (Asia/Shanghai), every team in one request. */
function PresenceBelowCard() {
  const { t } = useTranslation();
  const month = shiftMonth(monthOf(today()), -1);
  const below = useQuery({ queryKey: presenceKeys.below(month), queryFn: () => fetchBelowMinimum(month) });
  const rows = below.data?.items ?? [];
  const min = below.data?.min_days_in_village;
  return (
    <HomeCard title={t("home.presenceBelow", { month })} testId="home-card-presence" to="/presence" loading={below.isPending} error={below.error}>
      <BigCount value={rows.length} testId="home-card-presence-count" suffix={t("home.cadresUnit")} />
      {min !== undefined && <p style={{ margin: "0 0 8px" }}>{t("home.presenceMinimum", { min })}</p>}
      {rows.length === 0 ? (
        <None />
      ) : (
        <ul className="home-list" data-testid="home-presence-below">
          {rows.slice(0, 5).map((row) => (
            <li key={row.team_member_id}>
              <span>
                {row.cadre_name} · {teamLabel({ name: row.team_name, village_name: row.village_name, round_number: row.round_number })}
              </span>
              <span>{t("home.presenceDays", { days: row.days_in_village })}</span>
            </li>
          ))}
        </ul>
      )}
    </HomeCard>
  );
}

/** This year's disclosures overdue (and due) in the department, as the annual report sums them. */
function DisclosuresOverdueCard() {
  const { t, i18n } = useTranslation();
  const year = thisYear();
  const query = { year };
  const report = useQuery({ queryKey: reportKeys.annual(query), queryFn: () => fetchReport(query) });
  const d = report.data?.disclosures;
  return (
    <HomeCard title={t("home.disclosuresOverdue")} testId="home-card-disclosures" to="/disclosures/calendar" loading={report.isPending} error={report.error}>
      {d && (
        <>
          <BigCount value={d.overdue} testId="home-card-disclosures-count" suffix={t("home.itemsUnit")} />
          <p style={{ margin: 0 }}>
            {t("home.disclosuresDue")}
            <span data-testid="home-card-disclosures-due">{formatCount(d.due, i18n.language)}</span>
          </p>
        </>
      )}
    </HomeCard>
  );
}

// ----- department -----

function FundsCard() {
  const { t, i18n } = useTranslation();
  const year = thisYear();
  const range = homeCompareRange();
  const compare = useQuery({ queryKey: reportKeys.compare(range), queryFn: () => fetchCompare(range) });
  const years = useMemo(() => (compare.data?.years ?? []).filter((y) => y.funds_received_fen !== 0 || y.funds_spent_fen !== 0), [compare.data]);
  const series = useMemo(
    () => [
      { label: t("report.compare.received"), values: years.map((y) => fenToWan(y.funds_received_fen)) },
      { label: t("report.compare.spent"), values: years.map((y) => fenToWan(y.funds_spent_fen)) },
    ],
    [years, t],
  );
  const yuan = (fen: number) => formatYuan(fen, i18n.language);
  return (
    <HomeCard title={t("home.fundsOverTime")} testId="home-card-funds" to={`/reports/annual?year=${year - 1}`} loading={compare.isPending} error={compare.error}>
      {years.length === 0 ? (
        <None />
      ) : (
        <>
          <Chart categories={years.map((y) => String(y.year))} series={series} label={t("home.fundsLabel")} testId="home-chart-funds" />
          <DataTable
            size="small"
            rowKey="year"
            dataSource={years}
            data-testid="home-funds-table"
            columns={[
              { key: "year", title: t("report.year"), dataIndex: "year" },
              { key: "received", title: `${t("report.compare.received")}（${t("ledger.yuan")}）`, align: "right", render: (_: unknown, y) => <span data-testid={`home-funds-${y.year}`}>{yuan(y.funds_received_fen)}</span> },
              { key: "spent", title: `${t("report.compare.spent")}（${t("ledger.yuan")}）`, align: "right", render: (_: unknown, y) => yuan(y.funds_spent_fen) },
            ]}
          />
        </>
      )}
    </HomeCard>
  );
}

/** Projects of the department (one bounded page of up to 500, as the board) counted by stage. */
function StagesCard() {
  const { t, i18n } = useTranslation();
  const query = { limit: 500 };
  const list = useQuery({ queryKey: projectKeys.list(query), queryFn: () => fetchProjects(query) });
  const counts = useMemo(() => {
    const by = new Map<string, number>();
    for (const p of list.data?.items ?? []) by.set(p.stage, (by.get(p.stage) ?? 0) + 1);
    return STAGES.filter((s) => by.has(s)).map((s) => ({ stage: s, n: by.get(s) ?? 0 }));
  }, [list.data]);
  const total = list.data?.total?.count ?? list.data?.items.length ?? 0;
  return (
    <HomeCard title={t("home.projectsByStage")} testId="home-card-stages" to="/projects" loading={list.isPending} error={list.error}>
      <p style={{ margin: "0 0 8px" }} data-testid="home-stages-total">
        {t("home.projectsTotal", { count: total })}
      </p>
      {counts.length === 0 ? (
        <None />
      ) : (
        <ul className="home-list">
          {counts.map((c) => (
            <li key={c.stage}>
              <Link to={`/projects?stage=${c.stage}`}>{t(`project.stages.${c.stage}`)}</Link>
              <span data-testid={`home-stage-${c.stage}`}>{formatCount(c.n, i18n.language)}</span>
            </li>
          ))}
        </ul>
      )}
    </HomeCard>
  );
}

/** The pairing of the latest year that has any (the comparison is the funds card's, cached), else this year. */
function PairingCard() {
  const { t, i18n } = useTranslation();
  const range = homeCompareRange();
  const compare = useQuery({ queryKey: reportKeys.compare(range), queryFn: () => fetchCompare(range) });
  const latest = [...(compare.data?.years ?? [])].reverse().find((y) => y.paired_households > 0)?.year;
  const year = latest ?? thisYear();
  const query = { year };
  const report = useQuery({ queryKey: reportKeys.annual(query), queryFn: () => fetchReport(query), enabled: compare.isSuccess || compare.isError });
  const pairing = report.data?.pairing;
  return (
    <HomeCard title={t("home.pairing", { year })} testId="home-card-pairing" to={`/pairings/coverage?year=${year}`} loading={report.isPending} error={report.error ?? compare.error}>
      {pairing && (
        <dl className="report-figures" data-testid="home-pairing" data-year={year}>
          <div>
            <dt>{t("home.pairingCadres")}</dt>
            <dd data-testid="home-pairing-cadres">{formatCount(pairing.cadres, i18n.language)}</dd>
          </div>
          <div>
            <dt>{t("home.pairingHouseholds")}</dt>
            <dd data-testid="home-pairing-households">{formatCount(pairing.households, i18n.language)}</dd>
          </div>
          <div>
            <dt>{t("home.pairingAssistance")}</dt>
            <dd>
              {formatYuan(pairing.assistance_fen, i18n.language)} {t("ledger.yuan")}
            </dd>
          </div>
        </dl>
      )}
    </HomeCard>
  );
}

export function DepartmentHome() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle extra={<Link to="/reports/annual">{t("home.report")}</Link>}>{t("home.department")}</PageTitle>
      <div className="home-cards" data-testid="home-department">
        <FundsCard />
        <StagesCard />
        <UnconfirmedCard
          title={t("home.unconfirmed")}
          testId="home-card-unconfirmed"
          to="/ledger?unconfirmed=1"
          query={{ unconfirmed: true, older_than_days: CONFIRMATION_DAYS, sort: "date", limit: 5 }}
        />
        <NeedsCard title={t("home.needsWaiting")} testId="home-card-needs" />
        <PairingCard />
        {/* issue 12: presence and disclosures. */}
        <PresenceBelowCard />
        <DisclosuresOverdueCard />
      </div>
    </>
  );
}

// ----- team -----

function MonthLedgerCard({ villageId }: { villageId?: number }) {
  const { t, i18n } = useTranslation();
  const from = `${today().slice(0, 7)}-01`;
  const query: LedgerQuery = { from, village_id: villageId, limit: 1 };
  const list = useQuery({ queryKey: ledgerKeys.list(query), queryFn: () => fetchLedger(query) });
  const spentQuery: LedgerQuery = { from, village_id: villageId, kind: "expenditure", limit: 500 };
  const spent = useQuery({ queryKey: ledgerKeys.list(spentQuery), queryFn: () => fetchLedger(spentQuery) });
  const spentFen = (spent.data?.items ?? []).reduce((sum, e) => sum + e.amount_fen, 0);
  const count = list.data?.total?.count ?? list.data?.items.length ?? 0;
  return (
    <HomeCard title={t("home.toRecord")} testId="home-card-record" to={`/ledger?${villageId ? `village=${villageId}&` : ""}year=${thisYear()}`} loading={list.isPending} error={list.error ?? spent.error}>
      <BigCount value={count} testId="home-card-record-count" />
      <p style={{ margin: "0 0 8px" }}>{t("home.toRecordHint", { count, spent: formatYuan(spentFen, i18n.language) })}</p>
      <Link to={`/ledger/new${villageId ? `?village=${villageId}` : ""}`} tabIndex={-1}>
        <Button type="primary" data-testid="home-record-new">
          {t("home.recordNew")}
        </Button>
      </Link>
    </HomeCard>
  );
}

const WAITING_STAGES = ["proposed", "mature", "declared", "coordinating", "implementing"];

/** Projects not yet completed, the longest unchanged first (one bounded page, as the board). */
function ProjectsWaitingCard({ villageId }: { villageId?: number }) {
  const { t } = useTranslation();
  const query = { village_id: villageId, sort: "updated", limit: 500 };
  const list = useQuery({ queryKey: projectKeys.list(query), queryFn: () => fetchProjects(query) });
  const waiting = (list.data?.items ?? []).filter((p) => WAITING_STAGES.includes(p.stage));
  return (
    <HomeCard title={t("home.projectsWaiting")} testId="home-card-projects" to="/projects" loading={list.isPending} error={list.error}>
      <BigCount value={waiting.length} testId="home-card-projects-count" />
      {waiting.length === 0 ? (
        <None />
      ) : (
        <ul className="home-list">
          {waiting.slice(0, 5).map((p) => (
            <li key={p.id}>
              <Link to={`/projects/${p.id}`}>{p.title}</Link>
              <span className="text-secondary">
                {t(`project.stages.${p.stage}`)} · {t("home.waitingSince", { date: p.updated_at.slice(0, 10) })}
              </span>
            </li>
          ))}
        </ul>
      )}
    </HomeCard>
  );
}

/** This month's presence of the logged-in cadre in its team, else the team's count below / at the minimum so far. */
function MonthPresenceCard({ villageId }: { villageId?: number }) {
  const { t, i18n } = useTranslation();
  const { me } = useAuth();
  const month = monthOf(today());
  const teams = useQuery({ queryKey: ["presence", "activeTeams", activeTeamsQuery(villageId)], queryFn: () => fetchActiveTeams(villageId) });
  // A village can have more than one active team (rounds overlapping): the cadre's own team, else the first.
  const list = teams.data?.items ?? [];
  const summaries = useQueries({ queries: list.map((tm) => ({ queryKey: presenceKeys.summary(tm.id, month), queryFn: () => fetchSummary(tm.id, month) })) });
  const own = me?.cadre_id != null ? summaries.find((q) => q.data?.items.some((r) => r.cadre_id === me.cadre_id)) : undefined;
  const team = list[0];
  const summary = own ?? summaries[0];
  // Members whose membership does not cover the month have no days to count (days_in_period 0).
  const rows = (summary?.data?.items ?? []).filter((r) => r.days_in_period > 0 || r.cadre_id === me?.cadre_id);
  const mine = own ? rows.find((r) => r.cadre_id === me?.cadre_id) : undefined;
  const below = rows.filter((r) => r.days_in_period > 0 && !r.meets_minimum).length;
  const min = summary?.data?.min_days_in_village;
  return (
    <HomeCard title={t("home.presenceMonth")} testId="home-card-presence" to="/presence" loading={teams.isPending || summaries.some((q) => q.isPending)} error={teams.error ?? summaries.find((q) => q.error)?.error ?? null}>
      {!team ? (
        <None />
      ) : mine ? (
        <>
          <BigCount value={mine.days_in_village} testId="home-card-presence-mine" suffix={t("home.daysUnit")} />
          <p style={{ margin: 0 }}>{t("home.presenceMine", { min, away: mine.days_away, unaccounted: mine.days_unaccounted })}</p>
        </>
      ) : (
        <>
          <BigCount value={below} testId="home-card-presence-count" suffix={t("home.cadresUnit")} />
          <p style={{ margin: 0 }}>
            {t("home.presenceTeam", { min })}
            <span data-testid="home-card-presence-meets">{formatCount(rows.filter((r) => r.days_in_period > 0).length - below, i18n.language)}</span>
          </p>
        </>
      )}
    </HomeCard>
  );
}

export function TeamHome() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const only = me?.villages.length === 1 ? me.villages[0]?.id : undefined;
  return (
    <>
      <PageTitle>{t("home.team")}</PageTitle>
      <div className="home-cards" data-testid="home-team">
        <MyVillages />
        <MonthLedgerCard villageId={only} />
        <NeedsCard title={t("home.needsOpen")} testId="home-card-needs" villageId={only} />
        <ProjectsWaitingCard villageId={only} />
        {/* issue 12: presence. */}
        <MonthPresenceCard villageId={only} />
      </div>
    </>
  );
}

// ----- village committee -----

/** The village's 四议两公开 matters in progress: the count and the oldest few. */
function DecisionsCard({ villageId }: { villageId?: number }) {
  const { t } = useTranslation();
  const query: DecisionQuery = { status: "in_progress", village_id: villageId, sort: "raised", limit: 5 };
  const list = useQuery({ queryKey: decisionKeys.list(query), queryFn: () => fetchDecisions(query) });
  const items = list.data?.items ?? [];
  return (
    <HomeCard title={t("home.decisionsInProgress")} testId="home-card-decisions" to="/decisions" loading={list.isPending} error={list.error}>
      <BigCount value={list.data?.total?.count ?? items.length} testId="home-card-decisions-count" />
      {items.length === 0 ? (
        <None />
      ) : (
        <ul className="home-list">
          {items.map((d) => (
            <li key={d.id}>
              <Link to={`/decisions/${d.id}`}>{d.title}</Link>
              <span className="text-secondary">{t("home.raisedOn", { date: d.raised_on })}</span>
            </li>
          ))}
        </ul>
      )}
    </HomeCard>
  );
}

/** This year's disclosure calendar of the village: overdue and due. */
function DisclosuresDueCard({ villageId }: { villageId?: number }) {
  const { t, i18n } = useTranslation();
  const year = thisYear();
  const cal = useQuery({
    queryKey: ["disclosures", "calendar", villageId, year],
    queryFn: () => unwrap(api.GET("/api/v1/disclosures/calendar", { params: { query: { village_id: villageId ?? 0, year } } })),
    enabled: villageId !== undefined,
  });
  return (
    <HomeCard title={t("home.disclosuresDueTitle")} testId="home-card-disclosures" to="/disclosures/calendar" loading={villageId !== undefined && cal.isPending} error={cal.error}>
      {cal.data ? (
        <>
          <BigCount value={cal.data.overdue} testId="home-card-disclosures-count" suffix={t("home.overdueUnit")} />
          <p style={{ margin: 0 }}>
            {t("home.disclosuresDue")}
            <span data-testid="home-card-disclosures-due">{formatCount(cal.data.due, i18n.language)}</span>
          </p>
        </>
      ) : (
        <None />
      )}
    </HomeCard>
  );
}

export function CommitteeHome() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const first = me?.villages[0]?.id;
  return (
    <>
      <PageTitle>{t("home.committee")}</PageTitle>
      <div className="home-cards" data-testid="home-committee">
        <MyVillages />
        <UnconfirmedCard title={t("home.toConfirm")} testId="home-card-confirm" to="/ledger/pending" query={PENDING_QUERY} />
        {/* issue 12: decisions and disclosures. */}
        <DecisionsCard villageId={me?.villages.length === 1 ? first : undefined} />
        <DisclosuresDueCard villageId={first} />
      </div>
    </>
  );
}
