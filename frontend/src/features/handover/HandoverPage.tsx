// 交接 (`/teams/:id/handover`): the drafted handover document of a team — as the outgoing or the
// incoming team — printable (the browser's print, the page's chrome hidden by the print styles),
// with the sign-off for the incoming team's leader. A signed document never changes.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Descriptions, Space, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router-dom";
import { api, ApiError, unwrapWithEtag } from "../../api/client";
import { currentOwner, outbox } from "../../api/outbox";
import { problemMessage, type Problem } from "../../api/problem";
import { useAuth } from "../../auth/AuthContext";
import { PageTitle } from "../../components/PageTitle";
import { fenToYuan } from "../../lib/amounts";
import { formatDateTime } from "../../lib/datetime";

export default function HandoverPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { role } = useAuth();
  const queryClient = useQueryClient();
  const id = Number(useParams().id);
  const handover = useQuery({
    queryKey: ["handover", id],
    queryFn: () => unwrapWithEtag(api.GET("/api/v1/teams/{id}/handover", { params: { path: { id } } })),
    retry: false,
  });
  const h = handover.data?.data;
  const sign = async () => {
    if (!handover.data) return;
    const result = await outbox.submit(
      { method: "POST", path: `/api/v1/teams/${id}/handover/sign`, body: null, ifMatch: handover.data.etag },
      { resource: "handover", label: t("handover.title"), owner: currentOwner() },
    );
    if (result.kind === "queued") return void message.info(t("outbox.queued"));
    if (result.response.ok) {
      message.success(t("handover.signedNow"));
      return void queryClient.invalidateQueries({ queryKey: ["handover", id] });
    }
    const body = (await result.response.json().catch(() => null)) as Problem | null;
    message.error(problemMessage(body, t as never, result.response.status));
  };
  const missing = handover.error instanceof ApiError && handover.error.status === 404;
  return (
    <>
      <PageTitle
        extra={
          h && (
            <Space className="no-print">
              <Button onClick={() => window.print()} data-testid="handover-print">
                {t("handover.print")}
              </Button>
              {h.status === "draft" && role === "team" && (
                <Button type="primary" onClick={() => void sign()} data-testid="handover-sign">
                  {t("handover.sign")}
                </Button>
              )}
            </Space>
          )
        }
      >
        {t("handover.title")}
      </PageTitle>
      {missing && <Alert type="info" showIcon message={t("handover.none")} />}
      {handover.error && !missing && <Alert type="error" showIcon message={t("common.loadFailed")} description={handover.error.message} />}
      {h && (
        <div data-testid="handover-document">
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t("handover.status")}>
              <Tag data-testid="handover-status">
                {t(`handover.statuses.${h.status}`)}
              </Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t("handover.draftedAt")}>{formatDateTime(h.drafted_at, i18n.language)}</Descriptions.Item>
            {h.signed_at && (
              <Descriptions.Item label={t("handover.signedBy")}>
                {h.signed_by_name} · {formatDateTime(h.signed_at, i18n.language)}
              </Descriptions.Item>
            )}
          </Descriptions>
          {h.sections.map((s) => (
            <Card key={s.key} size="small" style={{ marginTop: 12 }} title={<h2 style={{ fontSize: 16, margin: 0 }}>{s.title}</h2>} data-testid={`section-${s.key}`}>
              {s.items.length === 0 ? (
                <Typography.Text type="secondary">{t("handover.nothing")}</Typography.Text>
              ) : (
                <ul className="plain-list">
                  {s.items.map((item, i) => (
                    <li key={i}>
                      <strong>{item.label}</strong>
                      {item.detail && <span> · {item.detail}</span>}
                      {item.amount_fen !== null && item.amount_fen !== undefined && <span> · {fenToYuan(item.amount_fen)} 元</span>}
                    </li>
                  ))}
                </ul>
              )}
            </Card>
          ))}
          <Card size="small" style={{ marginTop: 12 }} title={<h2 style={{ fontSize: 16, margin: 0 }}>{t("handover.documents")}</h2>} data-testid="section-documents">
            <ol>
              {h.documents.map((d, i) => (
                <li key={i}>{d}</li>
              ))}
            </ol>
          </Card>
        </div>
      )}
    </>
  );
}
