// Everything behind the login: antd, TanStack Query (with its offline copy), the layout and the
// routes. Loaded lazily by main.tsx, so the login page does not wait for it.
import "@ant-design/v5-patch-for-react-19";
import { QueryClientProvider } from "@tanstack/react-query";
import { App as AntApp, ConfigProvider, type ThemeConfig } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { use, useEffect, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Route, Routes } from "react-router-dom";
import { AuthProvider } from "./auth/AuthContext";
import { session } from "./api/client";
import { RequireAuth, RequireRole } from "./components/guards";
import { ADMIN, COMMITTEE, IMPORTERS, PRESENCE_READERS, REPORT_READERS, STAFF, VILLAGE_USERS, WRITERS, type Role } from "./components/roles";
import { lazyRetry } from "./lib/lazyRetry";
import { cacheRestored, clearQueryCache, queryClient } from "./queryClient";

const AppLayout = lazyRetry(() => import("./components/AppLayout"));
const HomePage = lazyRetry(() => import("./features/home/HomePage"));
const AnnualReportPage = lazyRetry(() => import("./features/reports/AnnualReportPage"));
const StatisticsPage = lazyRetry(() => import("./features/statistics/StatisticsPage"));
const VillageListPage = lazyRetry(() => import("./features/villages/VillageListPage"));
const VillageDetailPage = lazyRetry(() => import("./features/villages/VillageDetailPage"));
const VillageFormPage = lazyRetry(() => import("./features/villages/VillageFormPage"));
const SurveyFormPage = lazyRetry(() => import("./features/surveys/SurveyFormPage"));
// A page with a chart: the chart library stays in its chunk.
const SurveyComparePage = lazyRetry(() => import("./features/surveys/SurveyComparePage"));
const HouseholdListPage = lazyRetry(() => import("./features/households/HouseholdListPage"));
const HouseholdDetailPage = lazyRetry(() => import("./features/households/HouseholdDetailPage"));
const HouseholdFormPage = lazyRetry(() => import("./features/households/HouseholdFormPage"));
const ImportPage = lazyRetry(() => import("./features/imports/ImportPage"));
const AssistanceFormPage = lazyRetry(() => import("./features/pairings/AssistanceFormPage"));
const PairingCoveragePage = lazyRetry(() => import("./features/pairings/PairingCoveragePage"));
const ProjectBoardPage = lazyRetry(() => import("./features/projects/ProjectBoardPage"));
const ProjectDetailPage = lazyRetry(() => import("./features/projects/ProjectDetailPage"));
const ProjectFormPage = lazyRetry(() => import("./features/projects/ProjectFormPage"));
const LedgerListPage = lazyRetry(() => import("./features/ledger/LedgerListPage"));
const LedgerFormPage = lazyRetry(() => import("./features/ledger/LedgerFormPage"));
const LedgerPendingPage = lazyRetry(() => import("./features/ledger/LedgerPendingPage"));
const CooperativeListPage = lazyRetry(() => import("./features/cooperatives/CooperativeListPage"));
const CooperativeDetailPage = lazyRetry(() => import("./features/cooperatives/CooperativeDetailPage"));
const CooperativeFormPage = lazyRetry(() => import("./features/cooperatives/CooperativeFormPage"));
const MemberFormPage = lazyRetry(() => import("./features/cooperatives/MemberFormPage"));
const YearFormPage = lazyRetry(() => import("./features/cooperatives/YearFormPage"));
const DistributionPlannerPage = lazyRetry(() => import("./features/cooperatives/DistributionPlannerPage"));
const ActivityListPage = lazyRetry(() => import("./features/activities/ActivityListPage"));
const ActivityFormPage = lazyRetry(() => import("./features/activities/ActivityFormPage"));
// The activities summary draws a chart: uPlot stays in this page's chunk.
const ActivitySummaryPage = lazyRetry(() => import("./features/activities/ActivitySummaryPage"));
const NeedQueuePage = lazyRetry(() => import("./features/needs/NeedQueuePage"));
const NeedOverviewPage = lazyRetry(() => import("./features/needs/NeedOverviewPage"));
const NeedFormPage = lazyRetry(() => import("./features/needs/NeedFormPage"));
const PresencePage = lazyRetry(() => import("./features/presence/PresencePage"));
const HandoverPage = lazyRetry(() => import("./features/handover/HandoverPage"));
const RoundListPage = lazyRetry(() => import("./features/rounds/RoundListPage"));
const RoundFormPage = lazyRetry(() => import("./features/rounds/RoundFormPage"));
const TeamListPage = lazyRetry(() => import("./features/teams/TeamListPage"));
const TeamDetailPage = lazyRetry(() => import("./features/teams/TeamDetailPage"));
const TeamFormPage = lazyRetry(() => import("./features/teams/TeamFormPage"));
const CadreListPage = lazyRetry(() => import("./features/cadres/CadreListPage"));
const CadreFormPage = lazyRetry(() => import("./features/cadres/CadreFormPage"));
const UserListPage = lazyRetry(() => import("./features/users/UserListPage"));
const UserFormPage = lazyRetry(() => import("./features/users/UserFormPage"));
const OfficeListPage = lazyRetry(() => import("./features/offices/OfficeListPage"));
const OfficeFormPage = lazyRetry(() => import("./features/offices/OfficeFormPage"));
const AuditPage = lazyRetry(() => import("./features/audit/AuditPage"));
const ApiClientListPage = lazyRetry(() => import("./features/apiclients/ApiClientListPage"));
const OutboxPage = lazyRetry(() => import("./features/outbox/OutboxPage"));
const DecisionListPage = lazyRetry(() => import("./features/decisions/DecisionListPage"));
const DecisionFormPage = lazyRetry(() => import("./features/decisions/DecisionFormPage"));
const DecisionDetailPage = lazyRetry(() => import("./features/decisions/DecisionDetailPage"));
const DisclosureListPage = lazyRetry(() => import("./features/disclosures/DisclosureListPage"));
const DisclosureFormPage = lazyRetry(() => import("./features/disclosures/DisclosureFormPage"));
const DisclosureCalendarPage = lazyRetry(() => import("./features/disclosures/DisclosureCalendarPage"));
const NotFoundPage = lazyRetry(() => import("./components/NotFoundPage"));

const FONT_STACK =
  '-apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans SC", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "Noto Sans Tibetan", "Microsoft Himalaya", "Jomolhari", "zhucun Tibetan", sans-serif';

/**
 * WCAG 2.2 AA: antd's default blue (#1677ff) and its pale greys are below 4.5:1 on white. A darker
 * primary (and darker hover and active states) and darker secondary text keep every label, link,
 * button and selected menu item readable.
 */
export const THEME: ThemeConfig = {
  token: {
    fontFamily: FONT_STACK,
    colorPrimary: "#0958d9",
    // Hovered and pressed states darker, not lighter: a tapped button keeps its hover colour on a
    // phone, and white text on antd's lighter default hover blue is below 4.5:1.
    colorPrimaryHover: "#003eb3",
    colorPrimaryActive: "#002c8c",
    colorLink: "#0958d9",
    colorLinkHover: "#003eb3",
    colorLinkActive: "#002c8c",
    colorErrorHover: "#a8071a",
    colorErrorActive: "#820014",
    colorTextTertiary: "rgba(0, 0, 0, 0.62)",
    colorTextDescription: "rgba(0, 0, 0, 0.62)",
    colorTextPlaceholder: "rgba(0, 0, 0, 0.55)",
    colorSuccess: "#237804",
    colorError: "#c41d1d",
    colorWarning: "#ad4e00",
  },
};

function Localised({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const english = i18n.language.startsWith("en");
  useEffect(() => {
    dayjs.locale(english ? "en" : "zh-cn");
  }, [english]);
  return (
    <ConfigProvider locale={english ? enUS : zhCN} theme={THEME}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

function only(roles: Role[], page: ReactNode) {
  return <RequireRole roles={roles}>{page}</RequireRole>;
}

export default function App() {
  // The offline copy of fetched data is back before the first query runs.
  use(cacheRestored);
  useEffect(() => {
    // A cache left by a session that ended while this app was not open is not shown to anyone.
    if (!session.isLoggedIn()) clearQueryCache();
  }, []);
  return (
    <QueryClientProvider client={queryClient}>
      <Localised>
        <AuthProvider>
          <Routes>
            <Route
              element={
                <RequireAuth>
                  <AppLayout />
                </RequireAuth>
              }
            >
              <Route index element={<HomePage />} />
              <Route path="statistics" element={<StatisticsPage />} />
              <Route path="outbox" element={<OutboxPage />} />
              <Route path="villages" element={only(STAFF, <VillageListPage />)} />
              <Route path="villages/new" element={only(WRITERS.villages, <VillageFormPage />)} />
              <Route path="villages/:id" element={only(VILLAGE_USERS, <VillageDetailPage />)} />
              <Route path="villages/:id/edit" element={only(WRITERS.villages, <VillageFormPage />)} />
              <Route path="villages/:villageId/surveys/new" element={only(WRITERS.surveys, <SurveyFormPage />)} />
              <Route path="villages/:id/surveys/compare" element={only(VILLAGE_USERS, <SurveyComparePage />)} />
              <Route path="surveys/:id/edit" element={only(WRITERS.surveys, <SurveyFormPage />)} />
              <Route path="households" element={only(VILLAGE_USERS, <HouseholdListPage />)} />
              <Route path="imports/:kind" element={only(IMPORTERS, <ImportPage />)} />
              <Route path="households/new" element={only(WRITERS.households, <HouseholdFormPage />)} />
              <Route path="villages/:villageId/households/new" element={only(WRITERS.households, <HouseholdFormPage />)} />
              <Route path="households/:id" element={only(VILLAGE_USERS, <HouseholdDetailPage />)} />
              <Route path="households/:id/edit" element={only(WRITERS.households, <HouseholdFormPage />)} />
              <Route path="households/:householdId/assistance/new" element={only(WRITERS.assistance, <AssistanceFormPage />)} />
              <Route path="assistance/:id/edit" element={only(WRITERS.assistance, <AssistanceFormPage />)} />
              <Route path="projects" element={only(VILLAGE_USERS, <ProjectBoardPage />)} />
              <Route path="projects/new" element={only(WRITERS.projects, <ProjectFormPage />)} />
              <Route path="villages/:villageId/projects/new" element={only(WRITERS.projects, <ProjectFormPage />)} />
              <Route path="projects/:id" element={only(VILLAGE_USERS, <ProjectDetailPage />)} />
              <Route path="projects/:id/edit" element={only(WRITERS.projects, <ProjectFormPage />)} />
              <Route path="ledger" element={only(VILLAGE_USERS, <LedgerListPage />)} />
              <Route path="ledger/new" element={only(WRITERS.ledger, <LedgerFormPage />)} />
              <Route path="ledger/pending" element={only(COMMITTEE, <LedgerPendingPage />)} />
              <Route path="cooperatives" element={only(VILLAGE_USERS, <CooperativeListPage />)} />
              <Route path="cooperatives/new" element={only(WRITERS.cooperatives, <CooperativeFormPage />)} />
              <Route path="villages/:villageId/cooperatives/new" element={only(WRITERS.cooperatives, <CooperativeFormPage />)} />
              <Route path="cooperatives/:id" element={only(VILLAGE_USERS, <CooperativeDetailPage />)} />
              <Route path="cooperatives/:id/edit" element={only(WRITERS.cooperatives, <CooperativeFormPage />)} />
              <Route path="cooperatives/:coopId/members/new" element={only(WRITERS.cooperatives, <MemberFormPage />)} />
              <Route path="cooperatives/:coopId/members/:id/edit" element={only(WRITERS.cooperatives, <MemberFormPage />)} />
              {/* A year's accounts: `:id` is the year (RecordPage loads and saves by it). */}
              <Route path="cooperatives/:coopId/years/new" element={only(WRITERS.cooperatives, <YearFormPage />)} />
              <Route path="cooperatives/:coopId/years/:id/edit" element={only(WRITERS.cooperatives, <YearFormPage />)} />
              <Route path="cooperatives/:id/distributions/new" element={only(WRITERS.cooperatives, <DistributionPlannerPage />)} />
              <Route path="activities" element={only(VILLAGE_USERS, <ActivityListPage />)} />
              <Route path="decisions" element={only(VILLAGE_USERS, <DecisionListPage />)} />
              <Route path="decisions/new" element={only(["team", "village_committee"], <DecisionFormPage />)} />
              <Route path="decisions/:id" element={only(VILLAGE_USERS, <DecisionDetailPage />)} />
              <Route path="decisions/:id/edit" element={only(["team", "village_committee"], <DecisionFormPage />)} />
              <Route path="disclosures/calendar" element={only(VILLAGE_USERS, <DisclosureCalendarPage />)} />
              <Route path="disclosures" element={only(VILLAGE_USERS, <DisclosureListPage />)} />
              <Route path="disclosures/new" element={only(["team", "village_committee"], <DisclosureFormPage />)} />
              <Route path="disclosures/:id/edit" element={only(["team", "village_committee"], <DisclosureFormPage />)} />
              <Route path="activities/new" element={only(WRITERS.activities, <ActivityFormPage />)} />
              <Route path="activities/:id/edit" element={only(WRITERS.activities, <ActivityFormPage />)} />
              <Route path="activities/summary" element={only(VILLAGE_USERS, <ActivitySummaryPage />)} />
              <Route path="needs" element={only(VILLAGE_USERS, <NeedQueuePage />)} />
              <Route path="needs/overview" element={only(VILLAGE_USERS, <NeedOverviewPage />)} />
              <Route path="needs/new" element={only(WRITERS.needs, <NeedFormPage />)} />
              <Route path="needs/:id/edit" element={only(WRITERS.needs, <NeedFormPage />)} />
              <Route path="presence" element={only(PRESENCE_READERS, <PresencePage />)} />
              <Route path="teams/:id/handover" element={only(PRESENCE_READERS, <HandoverPage />)} />
              <Route path="pairings/coverage" element={only(STAFF, <PairingCoveragePage />)} />
              <Route path="rounds" element={only(STAFF, <RoundListPage />)} />
              <Route path="rounds/new" element={only(WRITERS.rounds, <RoundFormPage />)} />
              <Route path="rounds/:id/edit" element={only(WRITERS.rounds, <RoundFormPage />)} />
              <Route path="teams" element={only(STAFF, <TeamListPage />)} />
              <Route path="teams/new" element={only(WRITERS.teams, <TeamFormPage />)} />
              <Route path="teams/:id" element={only(VILLAGE_USERS, <TeamDetailPage />)} />
              <Route path="teams/:id/edit" element={only(WRITERS.teams, <TeamFormPage />)} />
              <Route path="cadres" element={only(STAFF, <CadreListPage />)} />
              <Route path="cadres/new" element={only(WRITERS.cadres, <CadreFormPage />)} />
              <Route path="cadres/:id/edit" element={only(WRITERS.cadres, <CadreFormPage />)} />
              <Route path="users" element={only(ADMIN, <UserListPage />)} />
              <Route path="users/new" element={only(WRITERS.users, <UserFormPage />)} />
              <Route path="users/:id/edit" element={only(WRITERS.users, <UserFormPage />)} />
              <Route path="offices" element={only(ADMIN, <OfficeListPage />)} />
              <Route path="offices/new" element={only(WRITERS.offices, <OfficeFormPage />)} />
              <Route path="offices/:id/edit" element={only(WRITERS.offices, <OfficeFormPage />)} />
              <Route path="audit" element={only(ADMIN, <AuditPage />)} />
              <Route path="api-clients" element={only(ADMIN, <ApiClientListPage />)} />
              <Route path="reports/annual" element={only(REPORT_READERS, <AnnualReportPage />)} />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </AuthProvider>
      </Localised>
    </QueryClientProvider>
  );
}
