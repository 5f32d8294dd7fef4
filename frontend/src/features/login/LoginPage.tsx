import { Alert, Button, Card, Form, Input } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useNavigate, useSearchParams } from "react-router-dom";
import { session } from "../../api/client";
import { LoginFailed } from "../../auth/session";
import { safeNext, useAuth } from "../../auth/AuthContext";
import { LanguageSelect } from "../../components/LanguageSelect";

interface Credentials {
  username: string;
  password: string;
}

export default function LoginPage() {
  const { t } = useTranslation();
  const { loggedIn } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const [error, setError] = useState<string | null>(null);
  const shown = error ?? (params.get("expired") ? t("login.expired") : null);
  const [busy, setBusy] = useState(false);

  if (loggedIn && !busy) return <Navigate to={next} replace />;

  const submit = async ({ username, password }: Credentials) => {
    setBusy(true);
    setError(null);
    try {
      await session.login(username.trim(), password);
      navigate(next, { replace: true });
    } catch (e) {
      if (e instanceof LoginFailed) setError(e.status === 429 ? t("login.throttled") : t("login.failed"));
      else setError(t("form.network"));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login-page">
      <Card
        title={t("app.title")}
        extra={<LanguageSelect />}
        style={{ width: "100%", maxWidth: 380 }}
        data-testid="login-card"
      >
        {shown && <Alert type="error" showIcon message={shown} style={{ marginBottom: 16 }} data-testid="login-error" />}
        <Form<Credentials> layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="username" label={t("login.username")} rules={[{ required: true, message: t("login.required") }]}>
            <Input autoComplete="username" autoFocus data-testid="login-username" />
          </Form.Item>
          <Form.Item name="password" label={t("login.password")} rules={[{ required: true, message: t("login.required") }]}>
            <Input.Password autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {t("login.submit")}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
