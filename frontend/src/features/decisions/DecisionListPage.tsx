// 四议两公开 — the decisions of the villages one sees, newest first, as cards that fit a phone:
// the matter, its village, where it stands (step n of 6, or rejected / completed) and what comes
// next. Filters: status and year.
import { useQuery } from "@tanstack/react-query";
import { Alert, Card, Empty, Select, Space, Spin, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useAuth } from "../../auth/AuthContext";
import { PageTitle } from "../../components/PageTitle";
import { decisionKeys, fetchDecisions, type Decision, type DecisionQuery } from "./api";

const STATUS_CLASS: Record<string, string> = { in_progress: "tag-info", rejected: "tag-error", completed: "tag-ok" };

export function StatusTag({ d }: { d: Decision }) {
  const { t } = useTranslation();
  return (
    <Tag className={STATUS_CLASS[d.status]} data-testid="decision-status">
      {t(`decision.status.${d.status}`, { defaultValue: d.status })}
    </Tag>
  );
}

export default function DecisionListPage() {
  const { t } = useTranslation();
  const { role } = useAuth();
  const [status, setStatus] = useState<string | undefined>();
  const [year, setYear] = useState<number | undefined>();
  const query: DecisionQuery = { limit: 100, status, year };
  const list = useQuery({ queryKey: decisionKeys.list(query), queryFn: () => fetchDecisions(query) });
  const thisYear = new Date().getFullYear();
  const years = Array.from({ length: thisYear - 2011 + 1 }, (_, i) => thisYear - i);
  const items = list.data?.items ?? [];
  return (
    <>
      <PageTitle>{t("decision.title")}</PageTitle>
      <Typography.Paragraph type="secondary">{t("decision.hint")}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select<string>
          allowClear
          placeholder={t("decision.statusFilter")}
          aria-label={t("decision.statusFilter")}
          style={{ minWidth: 140 }}
          value={status}
          onChange={setStatus}
          options={["in_progress", "rejected", "completed"].map((s) => ({ value: s, label: t(`decision.status.${s}`) }))}
          data-testid="decision-status-filter"
        />
        <Select<number>
          allowClear
          placeholder={t("decision.year")}
          aria-label={t("decision.year")}
          style={{ minWidth: 120 }}
          value={year}
          onChange={setYear}
          options={years.map((y) => ({ value: y, label: String(y) }))}
          data-testid="decision-year-filter"
        />
        {(role === "team" || role === "village_committee") && (
          <Link to="/decisions/new" data-testid="decision-new">
            {t("decision.new")}
          </Link>
        )}
      </Space>
      {list.error && <Alert type="error" showIcon message={t("common.loadFailed")} description={list.error.message} />}
      {list.isPending ? (
        <Spin />
      ) : items.length === 0 ? (
        <Empty description={t("decision.none")} />
      ) : (
        <ul className="project-cards" data-testid="decision-list" style={{ maxWidth: 720, listStyle: "none", padding: 0 }}>
          {items.map((d) => (
            <li key={d.id} style={{ marginBottom: 12 }}>
              <Card size="small" data-testid="decision-card">
                <Link to={`/decisions/${d.id}`} data-testid="decision-link">
                  <Typography.Text strong>{d.title}</Typography.Text>
                </Link>
                <div>
                  <Space wrap size={4}>
                    <StatusTag d={d} />
                    <Typography.Text type="secondary">{d.village_name}</Typography.Text>
                    <Typography.Text type="secondary">{d.raised_on}</Typography.Text>
                    <Typography.Text>{t("decision.progress", { step: d.last_step })}</Typography.Text>
                    {d.next_step_code && <Typography.Text type="secondary">{t("decision.next", { name: t(`decision.step.${d.next_step_code}`) })}</Typography.Text>}
                  </Space>
                </div>
              </Card>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
