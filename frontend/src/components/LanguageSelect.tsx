import { Button } from "antd";
import { useTranslation } from "react-i18next";
import { rememberLanguage, type Language } from "../i18n";

// Two languages: one button naming the other one, in that language (a select would bring
// antd's Select, 26 KB gzip, into the first page after logging in).
const OTHER: Record<Language, { lang: Language; label: string }> = {
  "zh-CN": { lang: "en", label: "English" },
  en: { lang: "zh-CN", label: "中文" },
};

export function LanguageSelect() {
  const { t, i18n } = useTranslation();
  const other = OTHER[i18n.language as Language] ?? OTHER["zh-CN"];
  return (
    <Button
      size="small"
      autoInsertSpace={false}
      data-testid="language"
      lang={other.lang}
      title={t("app.language")}
      onClick={() => {
        rememberLanguage(other.lang);
        void i18n.changeLanguage(other.lang);
      }}
    >
      {other.label}
    </Button>
  );
}
