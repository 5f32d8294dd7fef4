// The "合作社" section of a village's page: its cooperatives (by name) with kind, members, capital
// and how many of the five rule documents they have, and a link to the list filtered by the village.
import { PlusOutlined, TeamOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { Alert, Button, Card, List, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useCanWrite } from "../../components/guards";
import { coopKeys, fetchCooperatives } from "./api";
import { CoopCard } from "./CoopParts";

const SHOWN = 20;

export function VillageCooperatives({ villageId }: { villageId: number }) {
  const { t } = useTranslation();
  const canWrite = useCanWrite("cooperatives");
  const query = { village_id: villageId, limit: SHOWN, sort: "name" };
  const coops = useQuery({ queryKey: coopKeys.list(query), queryFn: () => fetchCooperatives(query) });
  const items = coops.data?.items ?? [];
  return (
    <Card
      size="small"
      id="cooperatives"
      className="card-wrap"
      title={<h2 style={{ fontSize: 16, margin: 0 }}>{t("coop.villageSection")}</h2>}
      style={{ marginTop: 16 }}
      data-testid="village-coops"
      extra={
        canWrite && (
          <Link to={`/villages/${villageId}/cooperatives/new`} tabIndex={-1}>
            <Button size="small" type="primary" icon={<PlusOutlined />} data-testid="village-coop-new">
              {t("coop.add")}
            </Button>
          </Link>
        )
      }
    >
      {coops.error && <Alert type="error" showIcon message={t("common.loadFailed")} description={coops.error.message} />}
      <List
        size="small"
        split={false}
        loading={coops.isPending}
        dataSource={items}
        locale={{ emptyText: <Typography.Text type="secondary">{t("coop.villageNone")}</Typography.Text> }}
        renderItem={(c) => (
          <List.Item key={c.id} style={{ paddingInline: 0 }}>
            <CoopCard coop={c} showVillage={false} />
          </List.Item>
        )}
      />
      <div style={{ marginTop: 8 }}>
        <Link to={`/cooperatives?village=${villageId}`} data-testid="village-coops-link">
          <TeamOutlined /> {t("coop.villageLink")}
        </Link>
      </div>
    </Card>
  );
}
