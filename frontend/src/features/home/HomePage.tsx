import { Navigate } from "react-router-dom";
import { useAuth } from "../../auth/AuthContext";
import { isVillageUser } from "../../components/roles";
import { useTranslation } from "react-i18next";
import { Empty } from "antd";

/** Where a user lands after logging in, by role. */
export default function HomePage() {
  const { me, role } = useAuth();
  const { t } = useTranslation();
  if (!me) return null;
  if (role === "regional") return <Navigate to="/statistics" replace />;
  if (isVillageUser(role)) {
    const first = me.villages[0];
    return first ? <Navigate to={`/villages/${first.id}`} replace /> : <Empty description={t("common.none")} />;
  }
  if (role === "admin" || role === "department") return <Navigate to="/villages" replace />;
  return null;
}
