import { Select } from "antd";
import { useTranslation } from "react-i18next";
import { rememberLanguage, type Language } from "../i18n";

export function LanguageSelect() {
  const { t, i18n } = useTranslation();
  return (
    <Select
      size="small"
      aria-label={t("app.language")}
      data-testid="language"
      value={i18n.language as Language}
      style={{ width: 92 }}
      onChange={(lang: Language) => {
        rememberLanguage(lang);
        void i18n.changeLanguage(lang);
      }}
      options={[
        { value: "zh-CN", label: "中文" },
        { value: "en", label: "English" },
      ]}
    />
  );
}

