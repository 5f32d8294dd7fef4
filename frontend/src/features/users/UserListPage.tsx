import { PlusOutlined } from "@ant-design/icons";
import { App, Button, Form, Input, Modal, Select, Space, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { ApiError, type Schemas } from "../../api/client";
import { fetchUsers, resetUserPassword, userKeys, type User } from "./api";
import { mapProblemToForm, type Translate } from "../../api/problem";
import { asRole, ROLES } from "../../auth/AuthContext";
import { CursorTable } from "../../components/CursorTable";
import type { Column } from "../../components/DataTable";
import { PageTitle } from "../../components/PageTitle";
import { useCursorList } from "../../components/useCursorList";
import { useSearchState } from "../../components/useSearchState";


function ResetPasswordModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Schemas["PasswordReset"]>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (values: Schemas["PasswordReset"]) => {
    if (!user) return;
    setBusy(true);
    setError(null);
    try {
      await resetUserPassword(user.id, values);
      message.success(t("user.passwordReset"));
      form.resetFields();
      onClose();
    } catch (e) {
      if (e instanceof ApiError) {
        const mapped = mapProblemToForm(e.problem, ["new_password"], t as unknown as Translate);
        form.setFields(mapped.fields as Parameters<typeof form.setFields>[0]);
        setError(mapped.general.join("; ") || (mapped.fields.length ? null : e.message));
      } else setError(t("form.network"));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={user !== null}
      title={`${t("user.resetPassword")}: ${user?.username ?? ""}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={busy}
      destroyOnHidden
    >
      {error && <div className="ant-form-item-explain-error">{error}</div>}
      <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
        <Form.Item name="new_password" label={t("user.newPassword")} rules={[{ required: true, min: 10 }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function UserListPage() {
  const { t } = useTranslation();
  const search = useSearchState();
  const [resetting, setResetting] = useState<User | null>(null);
  const filters = { q: search.get("q"), role: asRole(search.get("role")), sort: search.get("sort") ?? "username" };
  const list = useCursorList<User>(userKeys.list(filters), (cursor) => fetchUsers({ ...filters, cursor, limit: 50 }));
  const columns: Column<User>[] = [
    { title: t("user.username"), dataIndex: "username", sorter: "username" },
    { title: t("user.display_name"), dataIndex: "display_name" },
    { title: t("user.role"), dataIndex: "role", render: (r: string) => t(`role.${r}`, { defaultValue: r }) },
    {
      title: t("user.status"),
      dataIndex: "disabled",
      render: (d: boolean) => (d ? <Tag className="tag-error">{t("user.disabled")}</Tag> : <Tag className="tag-ok">{t("user.enabled")}</Tag>),
    },
    {
      title: t("common.actions"),
      key: "actions",
      render: (_: unknown, u) => (
        <Space>
          <Link to={`/users/${u.id}/edit`}>{t("common.edit")}</Link>
          <Button type="link" size="small" onClick={() => setResetting(u)}>
            {t("user.resetPassword")}
          </Button>
        </Space>
      ),
    },
  ];
  return (
    <>
      <PageTitle
        extra={
          <Link to="/users/new">
            <Button type="primary" icon={<PlusOutlined />}>
              {t("user.new")}
            </Button>
          </Link>
        }
      >
        {t("user.list")}
      </PageTitle>
      <div className="page-toolbar">
        <Input.Search allowClear aria-label={t("common.search")} placeholder={t("common.search")} defaultValue={filters.q} onSearch={(q) => search.set({ q: q.trim() })} style={{ maxWidth: 320 }} />
        <Select
          allowClear
          placeholder={t("user.role")}
          aria-label={t("user.role")}
          value={filters.role}
          onChange={(role?: string) => search.set({ role: role ?? null })}
          options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
          style={{ minWidth: 160 }}
        />
      </div>
      <CursorTable<User> rowKey="id" list={list} columns={columns} sort={filters.sort} onSortChange={(s) => search.set({ sort: s })} />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
    </>
  );
}
