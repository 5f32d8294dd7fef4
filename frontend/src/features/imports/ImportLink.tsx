// The entry to a kind's import page from its list, for the roles that may import it.
import { ImportOutlined } from "@ant-design/icons";
import { Button } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useAuth } from "../../auth/AuthContext";
import { canImport, type ImportResource } from "../../components/roles";

export function ImportLink({ kind }: { kind: ImportResource }) {
  const { t } = useTranslation();
  const { role } = useAuth();
  if (!canImport(role, kind)) return null;
  return (
    <Link to={`/imports/${kind}`}>
      <Button icon={<ImportOutlined />} data-testid={`import-${kind}`}>
        {t("imports.button")}
      </Button>
    </Link>
  );
}
