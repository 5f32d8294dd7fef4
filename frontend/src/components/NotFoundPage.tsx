import { Result } from "antd";
import { useTranslation } from "react-i18next";
import { PageTitle } from "./PageTitle";

export default function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle>404</PageTitle>
      <Result status="404" subTitle={t("common.notFound")} />
    </>
  );
}
