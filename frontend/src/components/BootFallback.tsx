import i18n from "../i18n";

/** The same loading state index.html draws before any script runs (no antd: used by the entry). */
export function BootFallback() {
  return (
    <main className="boot">
      <h1>{i18n.t("app.title")}</h1>
      <div className="boot-bar" role="progressbar" aria-label={i18n.t("common.loading")} />
    </main>
  );
}
