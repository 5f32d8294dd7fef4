// The ledger on other pages: a project's entries with its funds received and spent (and 记一笔
// for those who record), and a village's totals with — for its committee — what waits for it to
// confirm (the committee's entry point from its home page, the village page).
import { AccountBookOutlined, CheckCircleOutlined, PlusOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { Alert, Button, Card, List, Space, Statistic, Typography } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useAuth } from "../../auth/AuthContext";
import { formatYuan } from "../../lib/amounts";
import type { Project } from "../projects/api";
import { fetchLedger, fetchTotals, kindsFor, ledgerKeys, mayReverse, net, PENDING_QUERY, type LedgerQuery, type TotalsQuery } from "./api";
import { EntryCard, ReverseButton } from "./LedgerParts";

const sectionTitle = (text: string) => <h2 style={{ fontSize: 16, margin: 0 }}>{text}</h2>;
const PROJECT_ENTRIES = 50;
const STAT = { fontSize: 18 };

export function ProjectLedger({ project }: { project: Project }) {
  const { t, i18n } = useTranslation();
  const { role } = useAuth();
  const query: LedgerQuery = { project_id: project.id, limit: PROJECT_ENTRIES, sort: "-date" };
  const entries = useQuery({ queryKey: ledgerKeys.list(query), queryFn: () => fetchLedger(query) });
  const items = entries.data?.items ?? [];
  const total = entries.data?.total;
  const records = kindsFor(role).length > 0;
  const yuan = (fen: number) => formatYuan(fen, i18n.language);
  return (
    <Card
      size="small"
      id="ledger"
      className="card-wrap"
      title={sectionTitle(t("project.funds"))}
      style={{ marginTop: 16 }}
      data-testid="project-ledger"
      extra={
        records && (
          <Link to={`/ledger/new?village=${project.village_id}&project=${project.id}`} tabIndex={-1}>
            <Button size="small" type="primary" icon={<PlusOutlined />} data-testid="project-ledger-new">
              {t("ledger.new")}
            </Button>
          </Link>
        )
      }
    >
      <Space wrap size={[32, 8]} style={{ marginBottom: 8 }}>
        <Statistic valueStyle={STAT} title={t("project.budget")} value={yuan(project.budget_fen)} suffix={t("ledger.yuan")} />
        <Statistic valueStyle={STAT} title={t("project.fundsReceived")} value={yuan(project.funds_received_fen)} suffix={t("ledger.yuan")} data-testid="project-ledger-received" />
        <Statistic valueStyle={STAT} title={t("project.fundsSpent")} value={yuan(project.funds_spent_fen)} suffix={t("ledger.yuan")} data-testid="project-ledger-spent" />
      </Space>
      {entries.error && <Alert type="error" showIcon message={t("common.loadFailed")} description={entries.error.message} />}
      <List
        loading={entries.isPending}
        dataSource={items}
        locale={{ emptyText: <Typography.Text type="secondary">{t("project.ledgerNone")}</Typography.Text> }}
        split={false}
        renderItem={(e) => (
          <List.Item key={e.id} style={{ paddingBlock: 4 }}>
            <EntryCard entry={e} showVillage={false} actions={mayReverse(role, e) ? <ReverseButton entry={e} /> : undefined} />
          </List.Item>
        )}
      />
      <Link to={`/ledger?village=${project.village_id}&project=${project.id}`} data-testid="project-ledger-link">
        <AccountBookOutlined /> {total && !total.exact ? t("project.ledgerMore") : t("project.ledgerAll")}
      </Link>
    </Card>
  );
}

/**
 * For the village committee, at the top of its home page (the village page): how many entries
 * wait for it to confirm receipt, with the way to its waiting list. Nothing for other roles.
 */
export function PendingBanner({ villageId }: { villageId: number }) {
  const { t } = useTranslation();
  const { role } = useAuth();
  const committee = role === "village_committee";
  const pending = useQuery({ queryKey: ledgerKeys.list(PENDING_QUERY), queryFn: () => fetchLedger(PENDING_QUERY), enabled: committee });
  // The committee's next page is its waiting list: the chunk comes while this page is read.
  useEffect(() => {
    if (committee) import("./LedgerPendingPage").catch(() => undefined);
  }, [committee]);
  const waiting = (pending.data?.items ?? []).filter((e) => e.village_id === villageId).length;
  if (!committee || waiting === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 12 }}
      message={t("ledger.pendingCount", { count: waiting })}
      data-testid="village-ledger-pending"
      action={
        <Link to="/ledger/pending" tabIndex={-1}>
          <Button size="small" type="primary" icon={<CheckCircleOutlined />} data-testid="village-ledger-confirm">
            {t("ledger.pendingLink")}
          </Button>
        </Link>
      }
    />
  );
}

export function VillageLedger({ villageId }: { villageId: number }) {
  const { t, i18n } = useTranslation();
  const totalsQuery: TotalsQuery = { village_id: villageId, group_by: "kind" };
  const totals = useQuery({ queryKey: ledgerKeys.totals(totalsQuery), queryFn: () => fetchTotals(totalsQuery) });
  const sums = totals.data?.total;
  const yuan = (fen: number | undefined) => (fen === undefined ? "—" : formatYuan(fen, i18n.language));
  return (
    <Card size="small" id="ledger" className="card-wrap" title={sectionTitle(t("ledger.villageSection"))} style={{ marginTop: 16 }} data-testid="village-ledger">
      {totals.error && <Alert type="error" showIcon message={t("common.loadFailed")} description={totals.error.message} />}
      <Space wrap size={[32, 8]} style={{ marginBottom: 8 }}>
        <Statistic valueStyle={STAT} title={t("ledger.received")} value={yuan(sums?.received_fen)} suffix={t("ledger.yuan")} />
        <Statistic valueStyle={STAT} title={t("ledger.spent")} value={yuan(sums?.spent_fen)} suffix={t("ledger.yuan")} />
        <Statistic valueStyle={STAT} title={t("ledger.net")} value={yuan(sums ? net(sums) : undefined)} suffix={t("ledger.yuan")} />
      </Space>
      <div>
        <Link to={`/ledger?village=${villageId}`} data-testid="village-ledger-link">
          <AccountBookOutlined /> {t("ledger.villageLink")}
        </Link>
      </div>
    </Card>
  );
}
