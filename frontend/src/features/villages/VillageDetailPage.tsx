import { EditOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Descriptions, Spin, Table, Tag } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { api, unwrap, type Schemas } from "../../api/client";
import { useCanWrite } from "../../components/guards";
import { PageTitle } from "../../components/PageTitle";
import { VillageName } from "../../components/VillageName";
import { VillageHouseholds } from "../households/VillageHouseholds";
import { PendingBanner, VillageLedger } from "../ledger/LedgerSections";
import { VillageProjects } from "../projects/VillageProjects";
import { VillageSurveys } from "../surveys/VillageSurveys";
import { fetchVillage } from "./api";

type Team = Schemas["Team"];

export default function VillageDetailPage() {
  const { t } = useTranslation();
  const canEdit = useCanWrite("villages");
  const id = Number(useParams().id);
  const village = useQuery({ queryKey: ["villages", id], queryFn: () => fetchVillage(id) });
  const teams = useQuery({
    queryKey: ["teams", { village_id: id }],
    queryFn: () => unwrap(api.GET("/api/v1/teams", { params: { query: { village_id: id, limit: 500, sort: "-round" } } })),
    enabled: Number.isFinite(id),
  });
  if (village.isPending) return <Spin />;
  if (village.error) return <Alert type="error" showIcon message={t("common.loadFailed")} description={village.error.message} />;
  const v = village.data.data;
  return (
    <>
      <PageTitle
        extra={
          canEdit && (
            <Link to={`/villages/${v.id}/edit`}>
              <Button icon={<EditOutlined />} data-testid="village-edit">
                {t("common.edit")}
              </Button>
            </Link>
          )
        }
      >
        <span data-testid="village-title">
          <VillageName name={v.name} nameBo={v.name_bo} />
        </span>
        {!v.active && <Tag style={{ marginInlineStart: 8 }}>{t("common.inactive")}</Tag>}
      </PageTitle>
      <PendingBanner villageId={v.id} />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
          <Descriptions.Item label={t("village.name_bo")}>
            <span lang="bo" className="bo">
              {v.name_bo}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t("village.prefecture")}>{v.prefecture}</Descriptions.Item>
          <Descriptions.Item label={t("village.county")}>{v.county}</Descriptions.Item>
          <Descriptions.Item label={t("village.township")}>{v.township}</Descriptions.Item>
          <Descriptions.Item label={t("village.code")}>{v.code}</Descriptions.Item>
          <Descriptions.Item label={`${t("village.latitude")} / ${t("village.longitude")}`}>
            {v.latitude != null && v.longitude != null ? `${v.latitude}, ${v.longitude}` : ""}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" title={t("village.teams")}>
        {teams.error && <Alert type="error" showIcon message={t("common.loadFailed")} description={teams.error.message} />}
        <Table<Team>
          rowKey="id"
          size="small"
          loading={teams.isFetching}
          dataSource={teams.data?.items ?? []}
          pagination={false}
          scroll={{ x: "max-content" }}
          data-testid="village-teams"
          columns={[
            { title: t("team.round"), dataIndex: "round_number" },
            {
              title: t("team.name"),
              dataIndex: "name",
              render: (_: unknown, team) => <Link to={`/teams/${team.id}`}>{team.name || `${team.village_name} #${team.round_number}`}</Link>,
            },
            { title: t("team.members"), dataIndex: "member_count" },
          ]}
        />
      </Card>
      <VillageHouseholds villageId={v.id} />
      <VillageProjects villageId={v.id} />
      <VillageLedger villageId={v.id} />
      <VillageSurveys villageId={v.id} />
    </>
  );
}
