// 村务公开 — the disclosures of the villages one sees, newest period first: drafts (edit; the
// committee publishes), published ones (the committee may withdraw with a reason) and withdrawn
// ones with their reason. Publishing and withdrawing are online actions.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Button, Card, Empty, Input, Modal, Select, Space, Spin, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { ApiError } from "../../api/client";
import { problemMessage } from "../../api/problem";
import { useAuth } from "../../auth/AuthContext";
import { PageTitle } from "../../components/PageTitle";
import { useOnline } from "../../lib/useOnline";
import { disclosureKeys, fetchDisclosures, publish, withdraw, type Disclosure, type DisclosureQuery } from "./api";

const STATUS_CLASS: Record<string, string> = { draft: "tag-warning", published: "tag-ok", withdrawn: "tag-error" };

export default function DisclosureListPage() {
  const { t } = useTranslation();
  const { role } = useAuth();
  const online = useOnline();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<string | undefined>();
  const [withdrawing, setWithdrawing] = useState<Disclosure | null>(null);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const query: DisclosureQuery = { limit: 100, status };
  const list = useQuery({ queryKey: disclosureKeys.list(query), queryFn: () => fetchDisclosures(query) });
  const committee = role === "village_committee";
  const writer = committee || role === "team";
  const done = () => {
    setError(null);
    void queryClient.invalidateQueries({ queryKey: disclosureKeys.all });
  };
  const fail = (e: unknown) => setError(e instanceof ApiError ? problemMessage(e.problem, t, e.status) : t("form.network"));
  const publishing = useMutation({ mutationFn: publish, onSuccess: done, onError: fail });
  const withdrawal = useMutation({
    mutationFn: (v: { d: Disclosure; reason: string }) => withdraw(v.d, v.reason),
    onSuccess: () => {
      setWithdrawing(null);
      setReason("");
      done();
    },
    onError: fail,
  });
  const items = list.data?.items ?? [];
  return (
    <>
      <PageTitle>{t("disclosure.listTitle")}</PageTitle>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select<string>
          allowClear
          placeholder={t("disclosure.statusFilter")}
          aria-label={t("disclosure.statusFilter")}
          style={{ minWidth: 140 }}
          value={status}
          onChange={setStatus}
          options={["draft", "published", "withdrawn"].map((s) => ({ value: s, label: t(`disclosure.status.${s}`) }))}
          data-testid="disclosure-status-filter"
        />
        {writer && (
          <Link to="/disclosures/new" data-testid="disclosure-new">
            {t("disclosure.new")}
          </Link>
        )}
        <Link to="/disclosures/calendar">{t("disclosure.calendarTitle")}</Link>
      </Space>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="disclosure-error" />}
      {list.error && <Alert type="error" showIcon message={t("common.loadFailed")} description={list.error.message} />}
      {list.isPending ? (
        <Spin />
      ) : items.length === 0 ? (
        <Empty description={t("disclosure.none")} />
      ) : (
        <ul style={{ listStyle: "none", padding: 0, maxWidth: 720 }} data-testid="disclosure-list">
          {items.map((d) => (
            <li key={d.id} style={{ marginBottom: 8 }}>
              <Card size="small" data-testid="disclosure-card">
                <Space wrap size={4}>
                  <Tag className={STATUS_CLASS[d.status]}>{t(`disclosure.status.${d.status}`)}</Tag>
                  <Tag className="tag-info">{t(`disclosure.categoryName.${d.category}`)}</Tag>
                  <Typography.Text strong>{d.title}</Typography.Text>
                </Space>
                <div>
                  <Typography.Text type="secondary">
                    {d.village_name} · {d.period_from} 至 {d.period_to}
                    {d.published_on ? ` · ${t("disclosure.disclosedOn", { day: d.published_on })}` : ""}
                  </Typography.Text>
                </div>
                {d.status === "withdrawn" && <Typography.Paragraph>{t("disclosure.reasonText", { reason: d.withdrawal_reason })}</Typography.Paragraph>}
                <Space wrap style={{ marginTop: 8 }}>
                  {writer && d.status === "draft" && (
                    <Link to={`/disclosures/${d.id}/edit`} data-testid="disclosure-edit">
                      {t("common.edit")}
                    </Link>
                  )}
                  {committee && d.status === "draft" && (
                    <Button type="primary" size="small" disabled={!online} loading={publishing.isPending && publishing.variables?.id === d.id} onClick={() => publishing.mutate(d)} data-testid="disclosure-publish">
                      {t("disclosure.publish")}
                    </Button>
                  )}
                  {committee && d.status === "published" && (
                    <Button size="small" danger disabled={!online} onClick={() => setWithdrawing(d)} data-testid="disclosure-withdraw">
                      {t("disclosure.withdraw")}
                    </Button>
                  )}
                </Space>
              </Card>
            </li>
          ))}
        </ul>
      )}
      <Modal
        open={withdrawing !== null}
        title={t("disclosure.withdraw")}
        okText={t("disclosure.withdraw")}
        okButtonProps={{ danger: true, disabled: !reason.trim(), loading: withdrawal.isPending }}
        onOk={() => withdrawing && withdrawal.mutate({ d: withdrawing, reason })}
        onCancel={() => setWithdrawing(null)}
      >
        <Typography.Paragraph>{t("disclosure.withdrawHint")}</Typography.Paragraph>
        <Input.TextArea rows={3} maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} aria-label={t("disclosure.reason")} data-testid="withdraw-reason" />
      </Modal>
    </>
  );
}
