// A household's assistance (帮扶) as a timeline, newest first: date, kind (现金/物资/服务), amount
// in 元 (from integer fen), cadre and description, with the totals (all years, and by kind) summed
// in integer fen. Writers add one through the short form at /households/:id/assistance/new.
import { EditOutlined, PlusOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Space, Tag, Timeline, Typography } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useCanWrite } from "../../components/guards";
import { formatYuan } from "../../lib/amounts";
import { formatDate } from "../../lib/datetime";
import type { Household } from "../households/api";
import { assistanceKeys, fetchAssistanceList, householdAssistanceQuery, KINDS, type Assistance } from "./api";

/** Sums in integer fen: overall and per kind. */
export function sumByKind(items: Pick<Assistance, "kind" | "amount_fen">[]): { total: number; byKind: Record<string, number> } {
  const byKind: Record<string, number> = {};
  let total = 0;
  for (const a of items) {
    total += a.amount_fen;
    byKind[a.kind] = (byKind[a.kind] ?? 0) + a.amount_fen;
  }
  return { total, byKind };
}

export function KindTag({ kind }: { kind: string }) {
  const { t } = useTranslation();
  const cls = kind === "cash" ? "tag-ok" : kind === "goods" ? "tag-info" : "tag-warning";
  return <Tag className={cls}>{t(`assistance.kinds.${kind}`, { defaultValue: kind })}</Tag>;
}

export function HouseholdAssistance({ household }: { household: Household }) {
  const { t, i18n } = useTranslation();
  const canWrite = useCanWrite("assistance");
  const query = householdAssistanceQuery(household.id);
  const list = useQuery({ queryKey: assistanceKeys.list(query), queryFn: () => fetchAssistanceList(query) });
  const items = list.data?.items ?? [];
  const sums = sumByKind(items);
  const yuan = (fen: number) => `${formatYuan(fen, i18n.language)} ${t("assistance.yuan")}`;
  return (
    <Card
      size="small"
      id="assistance"
      className="card-wrap"
      title={<h2 style={{ fontSize: 16, margin: 0 }}>{t("assistance.list")}</h2>}
      style={{ marginTop: 16 }}
      data-testid="household-assistance"
      extra={
        canWrite && (
          <Link to={`/households/${household.id}/assistance/new`} tabIndex={-1}>
            <Button size="small" type="primary" icon={<PlusOutlined />} data-testid="assistance-add">
              {t("assistance.add")}
            </Button>
          </Link>
        )
      }
    >
      {list.error && <Alert type="error" showIcon message={t("common.loadFailed")} description={list.error.message} />}
      {items.length > 0 && (
        <div style={{ marginBottom: 12 }} data-testid="assistance-totals">
          <Typography.Text strong>
            {t("assistance.total", { count: items.length })}
            {list.data?.next_cursor ? "+" : ""}：<span data-testid="assistance-total">{yuan(sums.total)}</span>
          </Typography.Text>
          <Space wrap size={[12, 0]} style={{ display: "flex" }}>
            {KINDS.filter((k) => sums.byKind[k] !== undefined).map((k) => (
              <span key={k} data-testid={`assistance-total-${k}`}>
                {t(`assistance.kinds.${k}`)} {yuan(sums.byKind[k] ?? 0)}
              </span>
            ))}
          </Space>
        </div>
      )}
      {items.length === 0 && !list.isPending ? (
        <Typography.Text type="secondary">{t("assistance.none")}</Typography.Text>
      ) : (
        <Timeline
          data-testid="assistance-timeline"
          items={items.map((a) => ({
            key: a.id,
            color: "#0958d9",
            children: (
              <div data-testid="assistance-item">
                <Space wrap size={[6, 0]}>
                  <Typography.Text strong>{formatDate(a.given_on, i18n.language)}</Typography.Text>
                  <KindTag kind={a.kind} />
                  <span data-testid="assistance-amount">{yuan(a.amount_fen)}</span>
                </Space>
                <div>{a.description}</div>
                <Typography.Text type="secondary">
                  {t("assistance.cadre_id")}：{a.cadre_name}
                </Typography.Text>
                {canWrite && (
                  <Link to={`/assistance/${a.id}/edit`} style={{ marginInlineStart: 12 }} aria-label={`${t("common.edit")} ${a.given_on} ${a.description}`}>
                    <EditOutlined /> {t("common.edit")}
                  </Link>
                )}
              </div>
            ),
          }))}
        />
      )}
    </Card>
  );
}
