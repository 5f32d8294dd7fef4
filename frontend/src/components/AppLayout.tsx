import { CloudUploadOutlined, LockOutlined, LogoutOutlined, MenuOutlined } from "@ant-design/icons";
import { useIsFetching, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Badge, Button, Drawer, Grid, Layout, Space, Spin, Tag } from "antd";
import { Suspense, useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, Outlet, useLocation } from "react-router-dom";
import { useOutboxItems, useOutboxRunner } from "../api/outbox";
import type { OutboxItem } from "../lib/outbox";
import { useOnline } from "../lib/useOnline";
import { REGISTER_DELAY_MS, registerServiceWorker } from "../sw";
import { ChunkErrorBoundary } from "./ChunkErrorBoundary";
import { session } from "../api/client";
import { useAuth } from "../auth/AuthContext";
import { LanguageSelect } from "./LanguageSelect";
import { NAV_BY_ROLE, NAV_PATH, isVillageUser } from "./roles";
import { VillageName } from "./VillageName";
import { lazyRetry } from "../lib/lazyRetry";

// Only when asked for: antd's Form (with its validator) is not needed to show the first page.
const ChangePasswordModal = lazyRetry(() => import("./ChangePasswordModal"));

/**
 * The navigation: a list of links (antd's `Menu` would add ≈ 10 KB Brotli to the first page a
 * phone loads, for a keyboard model — arrow keys inside a menu role — that plain links do not need).
 */
function NavMenu({ onNavigate }: { onNavigate?: () => void }) {
  const { t } = useTranslation();
  const { me, role } = useAuth();
  const location = useLocation();
  if (!me || !role) return null;
  const items = NAV_BY_ROLE[role].map((key) => ({ to: NAV_PATH[key], label: t(`nav.${key}`), testId: `nav-${key}` }));
  if (isVillageUser(role)) {
    for (const village of me.villages) items.push({ to: `/villages/${village.id}`, label: village.name, testId: "nav-village" });
  }
  // The longest path the location is in: /villages/3 selects the village, not 村庄.
  const selected = items
    .map((item) => item.to)
    .filter((to) => location.pathname === to || location.pathname.startsWith(`${to}/`))
    .sort((a, b) => b.length - a.length)[0];
  return (
    <nav aria-label={t("app.menu")}>
      <ul className="nav-list" data-testid="nav">
      {items.map((item) => (
        <li key={item.to}>
          <Link
            to={item.to}
            onClick={onNavigate}
            data-testid={item.testId}
            className={item.to === selected ? "nav-item selected" : "nav-item"}
            aria-current={item.to === selected ? "page" : undefined}
          >
            {item.label}
          </Link>
        </li>
        ))}
      </ul>
    </nav>
  );
}

function UserBadge() {
  const { t } = useTranslation();
  const { me, role } = useAuth();
  if (!me) return <Spin size="small" />;
  return (
    <div className="user-badge" data-testid="user-badge">
      <strong data-testid="user-name">{me.display_name}</strong>
      <Tag className="tag-info" data-testid="user-role" style={{ marginInlineEnd: 0 }}>
        {t(`role.${me.role}`)}
      </Tag>
      <span className="text-secondary" data-testid="user-department">
        {me.department.name}
      </span>
      {isVillageUser(role) && me.villages.length > 0 && (
        <span data-testid="user-villages">
          {me.villages.map((village, index) => (
            <span key={village.id}>
              {index > 0 && "、"}
              <VillageName name={village.name} nameBo={village.name_bo} />
            </span>
          ))}
        </span>
      )}
    </div>
  );
}

function OutboxButton({ compact }: { compact: boolean }) {
  const { t } = useTranslation();
  const items = useOutboxItems();
  const problems = items.some((i) => i.state === "failed" || i.state === "conflict");
  return (
    // The name is the content: the count, then what it counts (visible on a desktop, visually
    // hidden on a phone). No aria-label: the badge animates a changing count through two digits
    // at once, which a fixed label would not contain (WCAG 2.5.3, axe label-content-name-mismatch).
    <Link to="/outbox" data-testid="outbox-link" className="outbox-link">
      <Badge count={items.length} size="small" color={problems ? "#c41d1d" : "#0958d9"}>
        <CloudUploadOutlined style={{ fontSize: 18 }} aria-hidden />
      </Badge>
      <span className={compact ? "visually-hidden" : undefined} style={compact ? undefined : { marginInlineStart: 6 }}>
        {t("outbox.title")}
      </span>
    </Link>
  );
}

function LogoutButton({ desktop }: { desktop: boolean }) {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const items = useOutboxItems();
  const logout = () => {
    if (items.length === 0) return void session.logout();
    modal.confirm({
      title: t("auth.logout"),
      content: t("outbox.logoutConfirm", { count: items.length }),
      okButtonProps: { danger: true },
      onOk: () => session.logout(),
    });
  };
  return (
    <Button size="small" icon={<LogoutOutlined />} aria-label={t("auth.logout")} data-testid="logout" onClick={logout}>
      {desktop ? t("auth.logout") : null}
    </Button>
  );
}

export default function AppLayout() {
  const { t } = useTranslation();
  const online = useOnline();
  const location = useLocation();
  const queryClient = useQueryClient();
  const onSent = useCallback((item: OutboxItem) => void queryClient.invalidateQueries({ queryKey: [item.resource] }), [queryClient]);
  useOutboxRunner(onSent);
  // On a weak link the service worker's precache would share the link with the first page's
  // chunks and data: it starts once the page has its data and the link has been quiet a moment
  // (on repeat visits it is already in control and only checks for a new version).
  const fetching = useIsFetching();
  useEffect(() => {
    if (fetching > 0) return;
    const timer = setTimeout(registerServiceWorker, navigator.serviceWorker?.controller ? 0 : REGISTER_DELAY_MS);
    return () => clearTimeout(timer);
  }, [fetching]);
  const screens = Grid.useBreakpoint();
  const desktop = screens.lg === true;
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [changingPassword, setChangingPassword] = useState(false);
  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Layout.Header className="app-header">
        {!desktop && (
          <Button
            type="text"
            icon={<MenuOutlined />}
            aria-label={t("app.menu")}
            data-testid="menu-button"
            onClick={() => setDrawerOpen(true)}
          />
        )}
        <Link to="/" className="app-title">
          {t("app.title")}
        </Link>
        <UserBadge />
        <Space size="small" className="app-header-actions">
          <LanguageSelect />
          <Button
            size="small"
            icon={<LockOutlined />}
            aria-label={t("auth.changePassword")}
            title={t("auth.changePassword")}
            data-testid="change-password"
            onClick={() => setChangingPassword(true)}
          />
          <OutboxButton compact={!desktop} />
          <LogoutButton desktop={desktop} />
        </Space>
      </Layout.Header>
      {changingPassword && (
        <Suspense fallback={null}>
          <ChangePasswordModal open onClose={() => setChangingPassword(false)} />
        </Suspense>
      )}
      <Layout>
        {desktop ? (
          <Layout.Sider width={200} theme="light">
            <NavMenu />
          </Layout.Sider>
        ) : (
          <Drawer
            placement="left"
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            width={240}
            title={t("app.title")}
            styles={{ body: { padding: 0 } }}
          >
            <NavMenu onNavigate={() => setDrawerOpen(false)} />
          </Drawer>
        )}
        <Layout.Content className="app-content" id="main">
          {!online && <Alert type="warning" showIcon banner message={t("network.offline")} data-testid="offline-banner" style={{ marginBottom: 12 }} />}
          <ChunkErrorBoundary resetKey={location.pathname}>
            <Suspense fallback={<Spin />}>
              <Outlet />
            </Suspense>
          </ChunkErrorBoundary>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
