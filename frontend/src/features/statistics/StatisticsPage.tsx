import { Result } from "antd";
import { BarChartOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";

export default function StatisticsPage() {
  const { t } = useTranslation();
  return (
    <div data-testid="statistics-coming-later">
      <Result icon={<BarChartOutlined />} title={t("statistics.comingLater")} subTitle={t("statistics.hint")} />
    </div>
  );
}
