// Where a user lands after logging in, by role: the department's overview, the team's and the
// village committee's to-do (features/home/Dashboards.tsx, charts loaded lazily with uPlot); the
// regional office goes to its statistics, the administrator to the villages. The dashboards are a
// chunk of their own, so the administrator's first page after logging in does not wait for them
// on a weak link (src/preload.ts fetches them while the password is typed).
import { Empty } from "antd";
import { useTranslation } from "react-i18next";
import { Navigate } from "react-router-dom";
import { useAuth } from "../../auth/AuthContext";
import { lazyRetry } from "../../lib/lazyRetry";
import { loadDashboards } from "../../preload";

const DepartmentHome = lazyRetry(() => loadDashboards().then((m) => ({ default: m.DepartmentHome })));
const TeamHome = lazyRetry(() => loadDashboards().then((m) => ({ default: m.TeamHome })));
const CommitteeHome = lazyRetry(() => loadDashboards().then((m) => ({ default: m.CommitteeHome })));

export default function HomePage() {
  const { me, role } = useAuth();
  const { t } = useTranslation();
  if (!me) return null;
  if (role === "regional") return <Navigate to="/statistics" replace />;
  if (role === "admin") return <Navigate to="/villages" replace />;
  if (role === "department") return <DepartmentHome />;
  if (me.villages.length === 0) return <Empty description={t("common.none")} />;
  if (role === "team") return <TeamHome />;
  if (role === "village_committee") return <CommitteeHome />;
  return null;
}
