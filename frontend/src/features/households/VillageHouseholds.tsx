// The "农牧户" section of a village's page: how many households by category, with links to the
// households list filtered by the village (and category).
import { PlusOutlined, TeamOutlined } from "@ant-design/icons";
import { Button, Card, Space } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useCanWrite } from "../../components/guards";
import { CATEGORIES, fetchHouseholds, householdKeys } from "./api";

function CategoryCount({ villageId, category }: { villageId: number; category: string }) {
  const { t } = useTranslation();
  const query = { village_id: villageId, category, limit: 1 };
  const count = useQuery({ queryKey: householdKeys.list(query), queryFn: () => fetchHouseholds(query) });
  const total = count.data?.total;
  return (
    <Link to={`/households?village=${villageId}&category=${category}`} data-testid={`village-households-${category}`}>
      {t(`household.categories.${category}`)}
      {total ? ` ${total.exact ? total.count : `${total.count}+`}` : ""}
    </Link>
  );
}

export function VillageHouseholds({ villageId }: { villageId: number }) {
  const { t } = useTranslation();
  const canWrite = useCanWrite("households");
  // The households pages are the next a team member opens: their chunks come once this page is
  // drawn (not while logging in), so they also open after the link drops.
  useEffect(() => {
    import("./HouseholdListPage").catch(() => undefined);
    import("./HouseholdDetailPage").catch(() => undefined);
  }, []);
  return (
    <Card
      size="small"
      id="households"
      className="card-wrap"
      title={<h2 style={{ fontSize: 16, margin: 0 }}>{t("household.villageSection")}</h2>}
      style={{ marginTop: 16 }}
      data-testid="village-households"
      extra={
        canWrite && (
          <Link to={`/villages/${villageId}/households/new`} tabIndex={-1}>
            <Button size="small" type="primary" icon={<PlusOutlined />} data-testid="village-household-new">
              {t("household.add")}
            </Button>
          </Link>
        )
      }
    >
      <Space wrap size={[16, 8]}>
        <Link to={`/households?village=${villageId}`} data-testid="village-households-link">
          <TeamOutlined /> {t("household.villageLink")}
        </Link>
        {CATEGORIES.map((c) => (
          <CategoryCount key={c} villageId={villageId} category={c} />
        ))}
      </Space>
    </Card>
  );
}
