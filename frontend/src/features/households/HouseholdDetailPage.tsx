// A household's page: its head (Chinese and Tibetan), members, phone and member names (不可见 for
// roles that may not see them), group, causes and notes; its category history with 变更类别; this
// year's checklist; and — for roles that read them, not the village committee — its pairings and
// its assistance.
import { EditOutlined } from "@ant-design/icons";
import { Alert, Card, Descriptions, Spin, Tag, Typography, Button } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useEffect, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { useAuth } from "../../auth/AuthContext";
import { useCanWrite } from "../../components/guards";
import { PageTitle } from "../../components/PageTitle";
import { formatDate } from "../../lib/datetime";
import { fetchHousehold, householdKeys, thisYear } from "./api";
import { CategoryTag, HeadName } from "./HouseholdTags";
import { CategoryHistory, YearCheck } from "./HouseholdSections";
import { PAIRING_READERS } from "../../components/roles";
import { HouseholdAssistance } from "../pairings/HouseholdAssistance";
import { HouseholdPairings } from "../pairings/HouseholdPairings";

function Hidden() {
  const { t } = useTranslation();
  return (
    <Typography.Text type="secondary" data-testid="personal-hidden">
      — {t("household.hidden")}
    </Typography.Text>
  );
}

export default function HouseholdDetailPage() {
  const { t, i18n } = useTranslation();
  const { role } = useAuth();
  const canWrite = useCanWrite("households");
  const id = Number(useParams().id);
  const household = useQuery({ queryKey: householdKeys.detail(id), queryFn: () => fetchHousehold(id), enabled: Number.isFinite(id) });
  // The short form's chunk arrives while the page is read, so 新增帮扶 works after the link drops too.
  useEffect(() => {
    if (canWrite) import("../pairings/AssistanceFormPage").catch(() => undefined);
  }, [canWrite]);
  if (household.isPending) return <Spin />;
  if (household.error) return <Alert type="error" showIcon message={t("common.loadFailed")} description={household.error.message} />;
  const h = household.data.data;
  const etag = household.data.etag;
  const personal = (value: string | null | undefined, hidden: boolean): ReactNode => (hidden ? <Hidden /> : (value ?? ""));
  // The server sends null for what the role may not see: an admin never sees phone or member names.
  const hidePersonal = role === "admin";
  // The village committee reads households but not pairings or assistance (the server answers 404).
  const readsPairings = role !== undefined && PAIRING_READERS.includes(role);
  return (
    <>
      <PageTitle
        extra={
          canWrite && (
            <Link to={`/households/${h.id}/edit`} tabIndex={-1}>
              <Button icon={<EditOutlined />} data-testid="household-edit">
                {t("common.edit")}
              </Button>
            </Link>
          )
        }
      >
        <span data-testid="household-title">
          <HeadName name={h.head_name} nameBo={h.head_name_bo} />
        </span>
      </PageTitle>
      <Card size="small">
        <div style={{ marginBottom: 8 }} data-testid="household-category">
          <CategoryTag category={h.category} monitoringType={h.monitoring_type} />
          <Typography.Text type="secondary">
            {t("household.since")} {formatDate(h.category_since, i18n.language)}
          </Typography.Text>
        </div>
        <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small" data-testid="household-facts">
          <Descriptions.Item label={t("household.village")}>
            <Link to={`/villages/${h.village_id}`}>{h.village_name}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t("household.address")}>{h.address}</Descriptions.Item>
          <Descriptions.Item label={t("household.members")}>{h.members}</Descriptions.Item>
          <Descriptions.Item label={t("household.member_names")}>
            <span data-testid="household-member-names">{personal(h.member_names, hidePersonal)}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t("household.phone")}>
            <span data-testid="household-phone">{hidePersonal ? <Hidden /> : h.phone ? <a href={`tel:${h.phone}`}>{h.phone}</a> : ""}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t("household.causes")}>
            <span data-testid="household-causes">
              {h.causes.map((c) => (
                <Tag key={c}>{t(`household.cause.${c}`, { defaultValue: c })}</Tag>
              ))}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t("household.notes")} span={3}>
            <span style={{ whiteSpace: "pre-wrap" }}>{h.notes}</span>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <CategoryHistory household={h} etag={etag} canWrite={canWrite} />
      <YearCheck household={h} year={thisYear()} canWrite={canWrite} />
      {readsPairings && (
        <>
          <HouseholdPairings household={h} />
          <HouseholdAssistance household={h} />
        </>
      )}
    </>
  );
}
