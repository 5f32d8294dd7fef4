// Where a user lands after logging in, by role: the department's overview, the team's and the
// village committee's to-do (features/home/Dashboards.tsx, charts loaded lazily with uPlot); the
// regional office goes to its statistics, the administrator to the villages.
import { Empty } from "antd";
import { useTranslation } from "react-i18next";
import { Navigate } from "react-router-dom";
import { useAuth } from "../../auth/AuthContext";
import { CommitteeHome, DepartmentHome, TeamHome } from "./Dashboards";

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
