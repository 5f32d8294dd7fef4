// API 客户端 (admins): the department's programs that read reports, projects and the ledger with
// a client-credentials token. The secret is shown once, in a dialog with a copy button, after a
// create or a rotation; it is kept only in this component's state and dropped when the dialog
// closes. Rotate and revoke ask for confirmation first. Online actions only (never queued).
import { KeyOutlined, PlusOutlined, StopOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Checkbox, Form, Input, Modal, Space, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/client";
import { mapProblemToForm, problemMessage } from "../../api/problem";
import { useAuth } from "../../auth/AuthContext";
import { CursorTable } from "../../components/CursorTable";
import type { Column } from "../../components/DataTable";
import { PageTitle } from "../../components/PageTitle";
import { useCursorList } from "../../components/useCursorList";
import { formatDateTime } from "../../lib/datetime";
import {
  apiClientKeys,
  createApiClient,
  DEPARTMENT_SCOPES,
  fetchApiClients,
  REGIONAL_SCOPES,
  revokeApiClient,
  rotateApiClient,
  type ApiClient,
  type ApiClientWithSecret,
} from "./api";

interface CreateValues {
  name?: string;
  scopes?: string[];
  regional?: boolean;
}

function SecretDialog({ shown, onClose }: { shown: ApiClientWithSecret | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      open={shown !== null}
      title={t("apiClient.secretTitle")}
      onCancel={onClose}
      footer={
        <Button type="primary" onClick={onClose}>
          {t("apiClient.secretDone")}
        </Button>
      }
      maskClosable={false}
      destroyOnHidden
    >
      {shown && (
        <Space direction="vertical" style={{ width: "100%" }}>
          <Alert type="warning" showIcon message={t("apiClient.secretWarning")} />
          <div>
            <Typography.Text type="secondary">{t("apiClient.client_id")}</Typography.Text>
            <Typography.Paragraph copyable={{ text: shown.client.client_id }} code data-testid="client-id">
              {shown.client.client_id}
            </Typography.Paragraph>
          </div>
          <div>
            <Typography.Text type="secondary">{t("apiClient.client_secret")}</Typography.Text>
            <Typography.Paragraph
              copyable={{ text: shown.client_secret, tooltips: [t("apiClient.copy"), t("apiClient.copied")] }}
              code
              style={{ wordBreak: "break-all" }}
              data-testid="client-secret"
            >
              {shown.client_secret}
            </Typography.Paragraph>
          </div>
        </Space>
      )}
    </Modal>
  );
}

export default function ApiClientListPage() {
  const { t, i18n } = useTranslation();
  const { me } = useAuth();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const operator = me?.operator === true;
  const list = useCursorList<ApiClient>(apiClientKeys.list({}), (cursor) => fetchApiClients({ cursor, limit: 50 }));
  const [creating, setCreating] = useState(false);
  const [saving, setSaving] = useState(false);
  const [shown, setShown] = useState<ApiClientWithSecret | null>(null);
  const [form] = Form.useForm<CreateValues>();
  const regional = Form.useWatch("regional", form) === true;
  // Scope codes hold ":", i18next's namespace separator: their keys use "_".
  const scopeName = (s: string) => t(`apiClient.scopes.${s.replace(":", "_")}`, { defaultValue: s });
  const scopeOptions = (regional ? [...DEPARTMENT_SCOPES, ...REGIONAL_SCOPES] : [...DEPARTMENT_SCOPES]).map((s) => ({
    value: s,
    label: `${scopeName(s)} (${s})`,
  }));

  const refresh = () => queryClient.invalidateQueries({ queryKey: apiClientKeys.all });
  const failed = (error: unknown) =>
    message.error(error instanceof ApiError ? problemMessage(error.problem, t, error.status) : t("common.loadFailed"));

  const submit = async (values: CreateValues) => {
    setSaving(true);
    try {
      const created = await createApiClient(values.name ?? "", values.scopes ?? [], values.regional === true);
      setCreating(false);
      form.resetFields();
      setShown(created);
      await refresh();
    } catch (error) {
      if (error instanceof ApiError && error.problem) {
        const mapped = mapProblemToForm(error.problem, ["name", "scopes", "regional"], t);
        form.setFields(mapped.fields as Parameters<typeof form.setFields>[0]);
        if (mapped.general.length > 0) message.error(mapped.general.join("；"));
      } else failed(error);
    } finally {
      setSaving(false);
    }
  };

  const rotate = (client: ApiClient) =>
    modal.confirm({
      title: t("apiClient.rotateConfirm", { name: client.name }),
      content: t("apiClient.rotateHint"),
      okText: t("apiClient.rotate"),
      cancelText: t("common.cancel"),
      onOk: async () => {
        try {
          setShown(await rotateApiClient(client));
          await refresh();
        } catch (error) {
          failed(error);
          await refresh();
        }
      },
    });

  const revoke = (client: ApiClient) =>
    modal.confirm({
      title: t("apiClient.revokeConfirm", { name: client.name }),
      content: t("apiClient.revokeHint"),
      okText: t("apiClient.revoke"),
      okButtonProps: { danger: true },
      cancelText: t("common.cancel"),
      onOk: async () => {
        try {
          await revokeApiClient(client);
          message.success(t("apiClient.revoked"));
        } catch (error) {
          failed(error);
        }
        await refresh();
      },
    });

  const columns: Column<ApiClient>[] = [
    { title: t("apiClient.name"), dataIndex: "name" },
    { title: t("apiClient.client_id"), dataIndex: "client_id", render: (id: string) => <Typography.Text code>{id}</Typography.Text> },
    {
      title: t("apiClient.scopesLabel"),
      dataIndex: "scopes",
      render: (scopes: string[], c) => (
        <>
          {c.regional && <Tag>{t("apiClient.regional")}</Tag>}
          {scopes.map((s) => (
            <Tag key={s}>{scopeName(s)}</Tag>
          ))}
        </>
      ),
    },
    { title: t("apiClient.created_by"), dataIndex: "created_by" },
    {
      title: t("apiClient.last_used_at"),
      dataIndex: "last_used_at",
      render: (at: string | null) => (at ? formatDateTime(at, i18n.language) : t("apiClient.never")),
    },
    {
      title: t("apiClient.state"),
      dataIndex: "state",
      render: (s: string) => <Tag className={s === "active" ? "tag-ok" : undefined}>{t(`apiClient.states.${s}`, { defaultValue: s })}</Tag>,
    },
    {
      title: t("common.actions"),
      key: "actions",
      render: (_: unknown, c) =>
        c.state === "active" ? (
          <Space wrap>
            <Button size="small" icon={<KeyOutlined />} onClick={() => rotate(c)}>
              {t("apiClient.rotate")}
            </Button>
            <Button size="small" danger icon={<StopOutlined />} onClick={() => revoke(c)}>
              {t("apiClient.revoke")}
            </Button>
          </Space>
        ) : null,
    },
  ];

  return (
    <>
      <PageTitle
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t("apiClient.new")}
          </Button>
        }
      >
        {t("apiClient.list")}
      </PageTitle>
      <Typography.Paragraph type="secondary">{t("apiClient.intro")}</Typography.Paragraph>
      <CursorTable<ApiClient> rowKey="id" list={list} columns={columns} />
      <Modal
        open={creating}
        title={t("apiClient.new")}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okText={t("apiClient.create")}
        cancelText={t("common.cancel")}
        confirmLoading={saving}
        destroyOnHidden
      >
        <Form<CreateValues> form={form} layout="vertical" onFinish={submit} initialValues={{ scopes: [], regional: false }}>
          <Form.Item name="name" label={t("apiClient.name")} rules={[{ required: true, whitespace: true, message: t("fieldError.required") }]}>
            <Input maxLength={100} />
          </Form.Item>
          {operator && (
            <Form.Item name="regional" valuePropName="checked" extra={t("apiClient.regionalHint")}>
              <Checkbox
                onChange={(e) => {
                  if (!e.target.checked) form.setFieldValue("scopes", ((form.getFieldValue("scopes") ?? []) as string[]).filter((s) => s !== "stats:read"));
                }}
              >
                {t("apiClient.regional")}
              </Checkbox>
            </Form.Item>
          )}
          <Form.Item
            name="scopes"
            label={t("apiClient.scopesLabel")}
            // A validator, not `required`: antd would put aria-required on the group's <div>.
            rules={[
              {
                validator: (_, value?: string[]) =>
                  value && value.length > 0 ? Promise.resolve() : Promise.reject(new Error(t("fieldError.required"))),
              },
            ]}
          >
            <Checkbox.Group options={scopeOptions} style={{ display: "flex", flexDirection: "column", gap: 8 }} />
          </Form.Item>
        </Form>
      </Modal>
      <SecretDialog shown={shown} onClose={() => setShown(null)} />
    </>
  );
}
