import { useTranslation } from "react-i18next";
import { useUpdateReady } from "../sw";

/** Offers a waiting new version; the user decides when (never in the middle of a form). */
export function UpdatePrompt() {
  const { t } = useTranslation();
  const activate = useUpdateReady();
  if (!activate) return null;
  return (
    <div className="update-prompt" role="status" data-testid="update-prompt">
      <span>{t("boot.updateReady")}</span>
      <button type="button" className="plain-button primary" onClick={activate} data-testid="update-apply">
        {t("boot.updateApply")}
      </button>
    </div>
  );
}
