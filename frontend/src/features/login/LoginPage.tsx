// The login page is plain HTML and CSS (no antd): it is what a phone on a weak link loads first.
import { useEffect, useState, useSyncExternalStore, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useNavigate, useSearchParams } from "react-router-dom";
import { session } from "../../api/client";
import { safeNext } from "../../auth/paths";
import { LoginFailed } from "../../auth/session";
import { LANGUAGES, rememberLanguage, type Language } from "../../i18n";
import { loginSubmitted, preloadAfterLogin } from "../../preload";

const subscribe = (listener: () => void) => session.onChange(listener);

export default function LoginPage() {
  const { t, i18n } = useTranslation();
  const loggedIn = useSyncExternalStore(subscribe, () => session.isLoggedIn());
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState<{ username?: boolean; password?: boolean }>({});
  const shown = error ?? (params.get("expired") ? t("login.expired") : null);
  const [busy, setBusy] = useState(false);

  // The rest of the app starts arriving as soon as the form is drawn: typing the credentials on a
  // phone takes longer than the chunks need on a weak link.
  useEffect(() => {
    const timer = setTimeout(preloadAfterLogin, 300);
    return () => clearTimeout(timer);
  }, []);

  if (loggedIn && !busy) return <Navigate to={next} replace />;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const username = String(data.get("username") ?? "").trim();
    const password = String(data.get("password") ?? "");
    setMissing({ username: !username, password: !password });
    if (!username || !password) return;
    setBusy(true);
    setError(null);
    preloadAfterLogin();
    loginSubmitted(true);
    try {
      const role = await session.login(username, password);
      // /me and the first page's data start now, in parallel with the chunks still arriving.
      void import("../../afterLogin").then((m) => m.prefetchAfterLogin(role));
      navigate(next, { replace: true });
    } catch (e) {
      loginSubmitted(false);
      if (e instanceof LoginFailed) setError(e.status === 429 ? t("login.throttled") : t("login.failed"));
      else setError(t("form.network"));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login-page">
      <form className="login-card" onSubmit={(e) => void submit(e)} noValidate data-testid="login-card">
        <div className="login-head">
          <h1>{t("app.title")}</h1>
          <select
            aria-label={t("app.language")}
            value={i18n.language}
            data-testid="login-language"
            onChange={(e) => {
              const lang = e.target.value as Language;
              rememberLanguage(lang);
              void i18n.changeLanguage(lang);
            }}
          >
            {LANGUAGES.map((lang) => (
              <option key={lang} value={lang}>
                {lang === "en" ? "English" : "中文"}
              </option>
            ))}
          </select>
        </div>
        {shown && (
          <div className="login-error" role="alert" data-testid="login-error">
            {shown}
          </div>
        )}
        <label htmlFor="login-username">{t("login.username")}</label>
        <input
          id="login-username"
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          autoFocus
          aria-invalid={missing.username || undefined}
          aria-describedby={missing.username ? "login-username-missing" : undefined}
          onInput={preloadAfterLogin}
          data-testid="login-username"
        />
        {missing.username && (
          <div id="login-username-missing" className="field-error">
            {t("login.required")}
          </div>
        )}
        <label htmlFor="login-password">{t("login.password")}</label>
        <input
          id="login-password"
          name="password"
          type="password"
          autoComplete="current-password"
          aria-invalid={missing.password || undefined}
          aria-describedby={missing.password ? "login-password-missing" : undefined}
          onFocus={preloadAfterLogin}
          data-testid="login-password"
        />
        {missing.password && (
          <div id="login-password-missing" className="field-error">
            {t("login.required")}
          </div>
        )}
        <button type="submit" className="plain-button primary block" disabled={busy} aria-busy={busy} data-testid="login-submit">
          {busy ? t("common.loading") : t("login.submit")}
        </button>
      </form>
    </main>
  );
}
