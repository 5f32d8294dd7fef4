import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import en from "./en";
import zhCN from "./zh-CN";

export const LANG_KEY = "zhucun.lang";
export const LANGUAGES = ["zh-CN", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

export function storedLanguage(): Language {
  try {
    const stored = window.localStorage.getItem(LANG_KEY);
    if (stored === "en" || stored === "zh-CN") return stored;
  } catch {
    // no storage: default
  }
  return "zh-CN";
}

export function rememberLanguage(lang: Language): void {
  try {
    window.localStorage.setItem(LANG_KEY, lang);
  } catch {
    // no storage: the choice lasts for this page only
  }
}

void i18n.use(initReactI18next).init({
  resources: { "zh-CN": { translation: zhCN }, en: { translation: en } },
  lng: storedLanguage(),
  fallbackLng: "zh-CN",
  interpolation: { escapeValue: false },
  returnNull: false,
});

i18n.on("languageChanged", (lang) => {
  document.documentElement.lang = lang;
});
document.documentElement.lang = i18n.language;

export default i18n;
