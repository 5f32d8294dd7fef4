// 公开日历 — what a village must disclose in a year and where each obligation stands: general
// matters every quarter, finances every month with ledger entries, every donation within 30 days,
// a resolution within the department's days. Overdue items come highlighted; the village's public
// board is one link away.
import { useQuery } from "@tanstack/react-query";
import { Alert, Card, Empty, Select, Space, Spin, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api, unwrap } from "../../api/client";
import { useAuth } from "../../auth/AuthContext";
import { PageTitle } from "../../components/PageTitle";
import { VillageSelect } from "../../components/pickers";
import { isVillageUser } from "../../components/roles";

const STATE_CLASS: Record<string, string> = { done: "tag-ok", late: "tag-warning", due: "tag-info", overdue: "tag-error" };

export default function DisclosureCalendarPage() {
  const { t } = useTranslation();
  const { me, role } = useAuth();
  const mine = isVillageUser(role) ? me?.villages[0]?.id : undefined;
  const [village, setVillage] = useState<number | undefined>(mine);
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState<number>(thisYear);
  const villageId = village ?? mine;
  const cal = useQuery({
    queryKey: ["disclosures", "calendar", villageId, year],
    queryFn: () => unwrap(api.GET("/api/v1/disclosures/calendar", { params: { query: { village_id: villageId ?? 0, year } } })),
    enabled: villageId !== undefined,
  });
  const items = cal.data?.items ?? [];
  return (
    <>
      <PageTitle>{t("disclosure.calendarTitle")}</PageTitle>
      <Typography.Paragraph type="secondary">{t("disclosure.calendarHint")}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        {isVillageUser(role) && (me?.villages.length ?? 0) <= 1 ? null : (
          <VillageSelect value={village} onChange={(v: number) => setVillage(v)} placeholder={t("disclosure.village")} aria-label={t("disclosure.village")} style={{ minWidth: 180 }} data-testid="calendar-village" />
        )}
        <Select<number>
          value={year}
          onChange={setYear}
          aria-label={t("disclosure.year")}
          style={{ minWidth: 100 }}
          options={Array.from({ length: thisYear - 2011 + 1 }, (_, i) => thisYear - i).map((y) => ({ value: y, label: String(y) }))}
          data-testid="calendar-year"
        />
        {villageId !== undefined && <Link to={`/public/villages/${villageId}`}>{t("disclosure.board")}</Link>}
      </Space>
      {cal.error && <Alert type="error" showIcon message={t("common.loadFailed")} description={cal.error.message} />}
      {villageId === undefined ? (
        <Empty description={t("disclosure.chooseVillage")} />
      ) : cal.isPending ? (
        <Spin />
      ) : (
        <>
          <Space wrap style={{ marginBottom: 12 }} data-testid="calendar-counts">
            <Tag className="tag-error">{t("disclosure.overdueCount", { count: cal.data?.overdue ?? 0 })}</Tag>
            <Tag className="tag-info">{t("disclosure.dueCount", { count: cal.data?.due ?? 0 })}</Tag>
          </Space>
          {items.length === 0 ? (
            <Empty description={t("disclosure.nothingDue")} />
          ) : (
            <ul style={{ listStyle: "none", padding: 0, maxWidth: 720 }} data-testid="calendar-items">
              {items.map((i) => (
                <li key={`${i.kind}-${i.period_from}-${i.ledger_entry_id ?? ""}-${i.decision_id ?? ""}`} style={{ marginBottom: 8 }}>
                  <Card size="small" data-testid={`calendar-${i.state}`} style={i.state === "overdue" ? { borderColor: "#cf1322", background: "#fff1f0" } : undefined}>
                    <Space wrap size={4}>
                      <Tag className={STATE_CLASS[i.state]}>{t(`disclosure.state.${i.state}`)}</Tag>
                      <Typography.Text strong>{t(`disclosure.kind.${i.kind}`)}</Typography.Text>
                      <Typography.Text>{i.period_from === i.period_to ? i.period_from : `${i.period_from} 至 ${i.period_to}`}</Typography.Text>
                      <Typography.Text type="secondary">{t("disclosure.dueOn", { day: i.due_on })}</Typography.Text>
                      {i.disclosed_on && <Typography.Text type="secondary">{t("disclosure.disclosedOn", { day: i.disclosed_on })}</Typography.Text>}
                    </Space>
                  </Card>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </>
  );
}
