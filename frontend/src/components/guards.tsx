import { Alert, Button, Spin } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useLocation } from "react-router-dom";
import { session } from "../api/client";
import { loginPath, useAuth, type Role } from "../auth/AuthContext";
import { PageTitle } from "./PageTitle";
import { canWrite, type Resource } from "./roles";

/** Pages behind the login: without a session, go to the login page and come back afterwards. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { loggedIn, me, meError } = useAuth();
  const location = useLocation();
  const { t } = useTranslation();
  if (!loggedIn) {
    // After a deliberate logout start afresh; after an expired session come back here.
    const to = session.endedBy === "logout" ? "/login" : loginPath(location.pathname + location.search, session.endedBy === "expired");
    return <Navigate to={to} replace />;
  }
  if (!me && meError) {
    // An Alert rather than antd's Result: Result carries its 403/404/500 illustrations (10 KB
    // gzip) into the first page after logging in.
    return (
      <Alert
        type="warning"
        showIcon
        style={{ margin: 24 }}
        message={t("common.loadFailed")}
        action={<Button onClick={() => window.location.reload()}>{t("common.retry")}</Button>}
      />
    );
  }
  if (!me) return <Spin style={{ display: "block", margin: "20vh auto" }} />;
  return children;
}

export function RequireRole({ roles, children }: { roles: Role[]; children: ReactNode }) {
  const { role } = useAuth();
  const { t } = useTranslation();
  if (!role || !roles.includes(role)) {
    return (
      <div data-testid="forbidden">
        <PageTitle>403</PageTitle>
        <Alert type="warning" showIcon message={t("common.forbidden")} />
      </div>
    );
  }
  return children;
}

/** May the logged-in user create and edit this resource? */
export function useCanWrite(resource: Resource): boolean {
  return canWrite(useAuth().role, resource);
}
