// A cooperative's page: its fields, the five rule documents as a checklist, the members with
// their contributions (现金 / 土地 / 牲畜 in 元 and 出资合计), the yearly accounts (revenue, costs,
// losses made good, reserves, 可分配盈余) and the distributions with each member's share. Those
// who record (the village's team, the department) find 编辑 / 添加成员 / 录入年度账目 / 制定分配方案.
import { EditOutlined, PlusOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { Alert, Button, Card, Descriptions, List, Spin, Tag, Typography } from "antd";
import { useEffect, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { useCanWrite } from "../../components/guards";
import { PageTitle } from "../../components/PageTitle";
import { formatYuan } from "../../lib/amounts";
import { formatDate, formatDateTime } from "../../lib/datetime";
import { coopKeys, fetchCooperative, fetchDistributions, fetchMembers, fetchYears, percentOf, type Cooperative, type Member, type YearAccounts } from "./api";
import { KindTag, RulesChecklist, Yuan } from "./CoopParts";
import { SharesList } from "./SharesList";

const sectionTitle = (text: string) => <h2 style={{ fontSize: 16, margin: 0 }}>{text}</h2>;

function Figures({ items }: { items: { label: string; value: ReactNode; testId?: string }[] }) {
  return (
    <dl className="coop-figures">
      {items.map((item) => (
        <div key={item.label} data-testid={item.testId}>
          <dt>{item.label}</dt>
          <dd>{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}

function MemberItem({ member: m, coopId, canWrite }: { member: Member; coopId: number; canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <List.Item key={m.id} data-testid="coop-member" data-member-id={m.id} style={{ display: "block" }}>
      <div style={{ display: "flex", flexWrap: "wrap", justifyContent: "space-between", gap: 4 }}>
        <div>
          <Typography.Text strong style={{ overflowWrap: "anywhere" }}>
            {m.name}
          </Typography.Text>{" "}
          {m.left_on && <Tag className="tag-warning">{t("coop.leftTag")}</Tag>}
          {m.household_id != null && (
            <Link to={`/households/${m.household_id}`} style={{ marginInlineStart: 4 }} data-testid="coop-member-household">
              {t("coop.household")}
            </Link>
          )}
        </div>
        {canWrite && (
          <Link to={`/cooperatives/${coopId}/members/${m.id}/edit`} aria-label={t("coop.editMember", { name: m.name })} data-testid="coop-member-edit">
            <EditOutlined /> {t("common.edit")}
          </Link>
        )}
      </div>
      <Typography.Text type="secondary" style={{ display: "block", fontSize: 13 }}>
        {t("coop.joined", { date: formatDate(m.joined_on, i18n.language) })}
        {m.left_on ? ` · ${t("coop.left", { date: formatDate(m.left_on, i18n.language) })}` : ""}
      </Typography.Text>
      <Figures
        items={[
          { label: t("coop.cash"), value: <Yuan fen={m.cash_fen} /> },
          { label: t("coop.land"), value: <Yuan fen={m.land_fen} /> },
          { label: t("coop.livestock"), value: <Yuan fen={m.livestock_fen} /> },
          { label: t("coop.memberCapital"), value: <strong><Yuan fen={m.capital_fen} testId="coop-member-capital" /></strong> },
        ]}
      />
      {m.note && <div style={{ whiteSpace: "pre-wrap", marginTop: 4 }}>{m.note}</div>}
    </List.Item>
  );
}

function Members({ coop, canWrite }: { coop: Cooperative; canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  const members = useQuery({ queryKey: coopKeys.members(coop.id), queryFn: () => fetchMembers(coop.id) });
  return (
    <Card
      size="small"
      id="members"
      className="card-wrap"
      title={sectionTitle(t("coop.members"))}
      style={{ marginTop: 16 }}
      data-testid="coop-members"
      extra={
        canWrite && (
          <Link to={`/cooperatives/${coop.id}/members/new`} tabIndex={-1}>
            <Button size="small" type="primary" icon={<PlusOutlined />} data-testid="coop-member-new">
              {t("coop.addMember")}
            </Button>
          </Link>
        )
      }
    >
      {members.error && <Alert type="error" showIcon message={t("common.loadFailed")} description={members.error.message} />}
      <Typography.Paragraph data-testid="coop-members-total">
        {t("coop.membersTotal", { count: coop.members, amount: formatYuan(coop.capital_fen, i18n.language) })}
      </Typography.Paragraph>
      <List
        size="small"
        loading={members.isPending}
        dataSource={members.data?.items ?? []}
        locale={{ emptyText: <Typography.Text type="secondary">{t("coop.membersNone")}</Typography.Text> }}
        renderItem={(m) => <MemberItem member={m} coopId={coop.id} canWrite={canWrite} />}
      />
    </Card>
  );
}

function Years({ coop, canWrite }: { coop: Cooperative; canWrite: boolean }) {
  const { t } = useTranslation();
  const years = useQuery({ queryKey: coopKeys.years(coop.id), queryFn: () => fetchYears(coop.id) });
  const items = [...(years.data?.items ?? [])].sort((a, b) => b.year - a.year);
  return (
    <Card
      size="small"
      id="years"
      className="card-wrap"
      title={sectionTitle(t("coop.years"))}
      style={{ marginTop: 16 }}
      data-testid="coop-years"
      extra={
        canWrite && (
          <Link to={`/cooperatives/${coop.id}/years/new`} tabIndex={-1}>
            <Button size="small" type="primary" icon={<PlusOutlined />} data-testid="coop-year-new">
              {t("coop.addYear")}
            </Button>
          </Link>
        )
      }
    >
      {years.error && <Alert type="error" showIcon message={t("common.loadFailed")} description={years.error.message} />}
      <List<YearAccounts>
        size="small"
        loading={years.isPending}
        dataSource={items}
        locale={{ emptyText: <Typography.Text type="secondary">{t("coop.yearsNone")}</Typography.Text> }}
        renderItem={(y) => (
          <List.Item key={y.year} data-testid="coop-year" data-year={y.year} style={{ display: "block" }}>
            <div style={{ display: "flex", flexWrap: "wrap", justifyContent: "space-between", gap: 4, marginBottom: 4 }}>
              <Typography.Text strong>{t("coop.yearTitle", { year: y.year })}</Typography.Text>
              {canWrite && (
                <Link to={`/cooperatives/${coop.id}/years/${y.year}/edit`} data-testid="coop-year-edit">
                  <EditOutlined /> {t("coop.editYear", { year: y.year })}
                </Link>
              )}
            </div>
            <Figures
              items={[
                { label: t("coop.revenue"), value: <Yuan fen={y.revenue_fen} /> },
                { label: t("coop.costs"), value: <Yuan fen={y.costs_fen} /> },
                { label: t("coop.losses"), value: <Yuan fen={y.losses_made_good_fen} /> },
                { label: t("coop.reserves"), value: <Yuan fen={y.reserves_fen} /> },
                { label: t("coop.distributable"), value: <strong><Yuan fen={y.distributable_fen} testId="coop-year-distributable" /></strong> },
              ]}
            />
          </List.Item>
        )}
      />
    </Card>
  );
}

function Distributions({ coop, canWrite }: { coop: Cooperative; canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  const plans = useQuery({ queryKey: coopKeys.distributions(coop.id), queryFn: () => fetchDistributions(coop.id) });
  return (
    <Card
      size="small"
      id="distributions"
      className="card-wrap"
      title={sectionTitle(t("coop.distributions"))}
      style={{ marginTop: 16 }}
      data-testid="coop-distributions"
      extra={
        canWrite && (
          <Link to={`/cooperatives/${coop.id}/distributions/new`} tabIndex={-1}>
            <Button size="small" type="primary" icon={<PlusOutlined />} data-testid="coop-plan-new">
              {t("coop.plan")}
            </Button>
          </Link>
        )
      }
    >
      {plans.error && <Alert type="error" showIcon message={t("common.loadFailed")} description={plans.error.message} />}
      {plans.isPending && <Spin />}
      {!plans.isPending && (plans.data?.items.length ?? 0) === 0 && <Typography.Text type="secondary">{t("coop.distributionsNone")}</Typography.Text>}
      {(plans.data?.items ?? []).map((d) => (
        <section key={d.id ?? d.year} data-testid="coop-distribution" data-year={d.year} style={{ marginBottom: 16 }}>
          <h3 style={{ fontSize: 15, margin: "4px 0" }}>{t("coop.distributionTitle", { year: d.year })}</h3>
          <Figures
            items={[
              { label: t("coop.distributable"), value: <Yuan fen={d.distributable_fen} /> },
              {
                label: t("coop.byTrade"),
                value: (
                  <>
                    <Yuan fen={d.by_trade_fen} /> ({t("coopPlan.percent", { percent: percentOf(d.by_trade_fen, d.distributable_fen) })})
                  </>
                ),
              },
              { label: t("coop.byCapital"), value: <Yuan fen={d.by_capital_fen} /> },
            ]}
          />
          <SharesList plan={d} testId={`coop-distribution-${d.year}`} />
          {d.created_by_username && d.created_at && (
            <Typography.Text type="secondary" style={{ display: "block", fontSize: 13 }}>
              {t("coop.distributionBy", { user: d.created_by_username, at: formatDateTime(d.created_at, i18n.language) })}
            </Typography.Text>
          )}
        </section>
      ))}
    </Card>
  );
}

export default function CooperativeDetailPage() {
  const { t, i18n } = useTranslation();
  const canWrite = useCanWrite("cooperatives");
  const id = Number(useParams().id);
  const coop = useQuery({ queryKey: coopKeys.detail(id), queryFn: () => fetchCooperative(id), enabled: Number.isFinite(id) });
  useEffect(() => {
    if (canWrite) import("./DistributionPlannerPage").catch(() => undefined);
  }, [canWrite]);
  if (coop.isPending) return <Spin />;
  if (coop.error) return <Alert type="error" showIcon message={t("common.loadFailed")} description={coop.error.message} />;
  const c = coop.data.data;
  return (
    <>
      <PageTitle
        extra={
          canWrite && (
            <Link to={`/cooperatives/${c.id}/edit`} tabIndex={-1}>
              <Button icon={<EditOutlined />} data-testid="coop-edit">
                {t("common.edit")}
              </Button>
            </Link>
          )
        }
      >
        <span data-testid="coop-title">{c.name}</span>
      </PageTitle>
      <Card size="small">
        <div style={{ marginBottom: 8 }}>
          <KindTag kind={c.kind} />
        </div>
        <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small" data-testid="coop-facts">
          <Descriptions.Item label={t("coop.village")}>
            <Link to={`/villages/${c.village_id}`}>{c.village_name}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t("coop.founded_on")}>{formatDate(c.founded_on, i18n.language)}</Descriptions.Item>
          <Descriptions.Item label={t("coop.registration_number")}>{c.registration_number}</Descriptions.Item>
          <Descriptions.Item label={t("coop.capital")}>
            <Yuan fen={c.capital_fen} testId="coop-capital" />
          </Descriptions.Item>
          <Descriptions.Item label={t("coop.notes")} span={3}>
            <span style={{ whiteSpace: "pre-wrap" }}>{c.notes ?? ""}</span>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" id="rules" className="card-wrap" title={sectionTitle(t("coop.rulesTitle"))} style={{ marginTop: 16 }}>
        <RulesChecklist rules={c.rules} />
      </Card>
      <Members coop={c} canWrite={canWrite} />
      <Years coop={c} canWrite={canWrite} />
      <Distributions coop={c} canWrite={canWrite} />
    </>
  );
}
