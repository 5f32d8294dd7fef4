import { App, Form, Input, Modal } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiError, session, unwrap, type Schemas } from "../api/client";
import { mapProblemToForm, type Translate } from "../api/problem";

type Values = Schemas["PasswordChange"];

/** Changing the password revokes every login, this one included: the user logs in again. */
export default function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (values: Values) => {
    setBusy(true);
    setError(null);
    try {
      await unwrap(api.POST("/api/v1/me/password", { body: values }));
      message.success(t("auth.passwordChanged"));
      onClose();
      await session.logout();
    } catch (e) {
      if (e instanceof ApiError) {
        const mapped = mapProblemToForm(e.problem, ["current_password", "new_password"], t as unknown as Translate);
        form.setFields(mapped.fields as Parameters<typeof form.setFields>[0]);
        setError(mapped.general.join("; ") || (mapped.fields.length ? null : e.message));
      } else setError(t("form.network"));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={t("auth.changePassword")} onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy} destroyOnHidden>
      {error && (
        <div className="ant-form-item-explain-error" role="alert">
          {error}
        </div>
      )}
      <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
        <Form.Item name="current_password" label={t("auth.currentPassword")} rules={[{ required: true, message: t("form.required") }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="new_password" label={t("auth.newPassword")} rules={[{ required: true, min: 10 }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
