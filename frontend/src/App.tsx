import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { App as AntApp, ConfigProvider, Spin } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { lazy, Suspense, useEffect, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { BrowserRouter, Route, Routes } from "react-router-dom";
import { ApiError } from "./api/client";
import { AuthProvider } from "./auth/AuthContext";
import { RequireAuth, RequireRole } from "./components/guards";
import { ADMIN, STAFF, VILLAGE_USERS } from "./components/roles";

const AppLayout = lazy(() => import("./components/AppLayout"));
const LoginPage = lazy(() => import("./features/login/LoginPage"));
const HomePage = lazy(() => import("./features/home/HomePage"));
const StatisticsPage = lazy(() => import("./features/statistics/StatisticsPage"));
const VillageListPage = lazy(() => import("./features/villages/VillageListPage"));
const VillageDetailPage = lazy(() => import("./features/villages/VillageDetailPage"));
const VillageFormPage = lazy(() => import("./features/villages/VillageFormPage"));
const RoundListPage = lazy(() => import("./features/rounds/RoundListPage"));
const RoundFormPage = lazy(() => import("./features/rounds/RoundFormPage"));
const TeamListPage = lazy(() => import("./features/teams/TeamListPage"));
const TeamDetailPage = lazy(() => import("./features/teams/TeamDetailPage"));
const TeamFormPage = lazy(() => import("./features/teams/TeamFormPage"));
const CadreListPage = lazy(() => import("./features/cadres/CadreListPage"));
const CadreFormPage = lazy(() => import("./features/cadres/CadreFormPage"));
const UserListPage = lazy(() => import("./features/users/UserListPage"));
const UserFormPage = lazy(() => import("./features/users/UserFormPage"));
const OfficeListPage = lazy(() => import("./features/offices/OfficeListPage"));
const OfficeFormPage = lazy(() => import("./features/offices/OfficeFormPage"));
const AuditPage = lazy(() => import("./features/audit/AuditPage"));
const NotFoundPage = lazy(() => import("./components/NotFoundPage"));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

const FONT_STACK =
  '-apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans SC", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "Noto Sans Tibetan", "Microsoft Himalaya", "Jomolhari", sans-serif';

function Localised({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const english = i18n.language.startsWith("en");
  useEffect(() => {
    dayjs.locale(english ? "en" : "zh-cn");
  }, [english]);
  return (
    <ConfigProvider locale={english ? enUS : zhCN} theme={{ token: { fontFamily: FONT_STACK } }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

function only(roles: typeof STAFF, page: ReactNode) {
  return <RequireRole roles={roles}>{page}</RequireRole>;
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Localised>
        <BrowserRouter>
          <AuthProvider>
            <Suspense fallback={<Spin style={{ display: "block", margin: "20vh auto" }} />}>
              <Routes>
                <Route path="/login" element={<LoginPage />} />
                <Route
                  element={
                    <RequireAuth>
                      <AppLayout />
                    </RequireAuth>
                  }
                >
                  <Route index element={<HomePage />} />
                  <Route path="statistics" element={<StatisticsPage />} />
                  <Route path="villages" element={only(STAFF, <VillageListPage />)} />
                  <Route path="villages/new" element={only(ADMIN, <VillageFormPage />)} />
                  <Route path="villages/:id" element={only(VILLAGE_USERS, <VillageDetailPage />)} />
                  <Route path="villages/:id/edit" element={only(ADMIN, <VillageFormPage />)} />
                  <Route path="rounds" element={only(STAFF, <RoundListPage />)} />
                  <Route path="rounds/new" element={only(ADMIN, <RoundFormPage />)} />
                  <Route path="rounds/:id/edit" element={only(ADMIN, <RoundFormPage />)} />
                  <Route path="teams" element={only(STAFF, <TeamListPage />)} />
                  <Route path="teams/new" element={only(ADMIN, <TeamFormPage />)} />
                  <Route path="teams/:id" element={only(VILLAGE_USERS, <TeamDetailPage />)} />
                  <Route path="teams/:id/edit" element={only(ADMIN, <TeamFormPage />)} />
                  <Route path="cadres" element={only(STAFF, <CadreListPage />)} />
                  <Route path="cadres/new" element={only(STAFF, <CadreFormPage />)} />
                  <Route path="cadres/:id/edit" element={only(STAFF, <CadreFormPage />)} />
                  <Route path="users" element={only(ADMIN, <UserListPage />)} />
                  <Route path="users/new" element={only(ADMIN, <UserFormPage />)} />
                  <Route path="users/:id/edit" element={only(ADMIN, <UserFormPage />)} />
                  <Route path="offices" element={only(ADMIN, <OfficeListPage />)} />
                  <Route path="offices/new" element={only(ADMIN, <OfficeFormPage />)} />
                  <Route path="offices/:id/edit" element={only(ADMIN, <OfficeFormPage />)} />
                  <Route path="audit" element={only(ADMIN, <AuditPage />)} />
                  <Route path="*" element={<NotFoundPage />} />
                </Route>
              </Routes>
            </Suspense>
          </AuthProvider>
        </BrowserRouter>
      </Localised>
    </QueryClientProvider>
  );
}
