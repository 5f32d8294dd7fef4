import { KeyOutlined, LogoutOutlined, MenuOutlined } from "@ant-design/icons";
import { Button, Drawer, Grid, Layout, Menu, Space, Spin, Tag, Typography } from "antd";
import { Suspense, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, Outlet, useLocation } from "react-router-dom";
import { session } from "../api/client";
import { useAuth } from "../auth/AuthContext";
import { ChangePasswordModal } from "./ChangePasswordModal";
import { LanguageSelect } from "./LanguageSelect";
import { NAV_BY_ROLE, NAV_PATH, isVillageUser } from "./roles";
import { VillageName } from "./VillageName";

function NavMenu({ onNavigate }: { onNavigate?: () => void }) {
  const { t } = useTranslation();
  const { me, role } = useAuth();
  const location = useLocation();
  if (!me || !role) return null;
  const items = NAV_BY_ROLE[role].map((key) => ({
    key: NAV_PATH[key],
    label: (
      <Link to={NAV_PATH[key]} onClick={onNavigate} data-testid={`nav-${key}`}>
        {t(`nav.${key}`)}
      </Link>
    ),
  }));
  if (isVillageUser(role)) {
    for (const village of me.villages) {
      items.push({
        key: `/villages/${village.id}`,
        label: (
          <Link to={`/villages/${village.id}`} onClick={onNavigate} data-testid="nav-village">
            {village.name}
          </Link>
        ),
      });
    }
  }
  const selected = items
    .map((item) => item.key)
    .filter((key) => location.pathname === key || location.pathname.startsWith(`${key}/`))
    .sort((a, b) => b.length - a.length)
    .slice(0, 1);
  return <Menu mode="inline" selectedKeys={selected} items={items} data-testid="nav" style={{ borderInlineEnd: 0 }} />;
}

function UserBadge() {
  const { t } = useTranslation();
  const { me, role } = useAuth();
  if (!me) return <Spin size="small" />;
  return (
    <div className="user-badge" data-testid="user-badge">
      <Typography.Text strong data-testid="user-name">
        {me.display_name}
      </Typography.Text>
      <Tag color="blue" data-testid="user-role" style={{ marginInlineEnd: 0 }}>
        {t(`role.${me.role}`)}
      </Tag>
      <Typography.Text type="secondary" data-testid="user-department">
        {me.department.name}
      </Typography.Text>
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

export default function AppLayout() {
  const { t } = useTranslation();
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
            icon={<KeyOutlined />}
            aria-label={t("auth.changePassword")}
            title={t("auth.changePassword")}
            data-testid="change-password"
            onClick={() => setChangingPassword(true)}
          />
          <Button size="small" icon={<LogoutOutlined />} data-testid="logout" onClick={() => void session.logout()}>
            {desktop ? t("auth.logout") : null}
          </Button>
        </Space>
      </Layout.Header>
      <ChangePasswordModal open={changingPassword} onClose={() => setChangingPassword(false)} />
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
        <Layout.Content className="app-content">
          <Suspense fallback={<Spin />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
