// 待同步: writes kept while the link was down, with each one's state; they are sent by the
// layout's runner when the link returns. A queued update that met a 412 waits for the user.
import { Button, Card, Empty, List, Popconfirm, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { session } from "../../api/client";
import { outbox, useOutboxItems } from "../../api/outbox";
import { PageTitle } from "../../components/PageTitle";
import { formatDateTime } from "../../lib/datetime";
import type { OutboxItem, OutboxState } from "../../lib/outbox";

const STATE_CLASS: Record<OutboxState, string> = {
  waiting: "tag-info",
  sending: "tag-info",
  failed: "tag-error",
  conflict: "tag-warning",
};

interface Current {
  etag: string;
  record: Record<string, unknown>;
}

async function loadCurrent(item: OutboxItem): Promise<Current> {
  const response = await session.fetch(new Request(window.location.origin + item.path, { headers: { Accept: "application/json" } }));
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const record = (await response.json()) as Record<string, unknown>;
  return { etag: response.headers.get("ETag") ?? `"${String(record.version)}"`, record };
}

function ConflictDetail({ item }: { item: OutboxItem }) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState<Current | null>(null);
  const [error, setError] = useState<string | null>(null);
  const mine = (item.body ?? {}) as Record<string, unknown>;
  const rows = current
    ? Object.keys(mine)
        .filter((f) => JSON.stringify(current.record[f] ?? null) !== JSON.stringify(mine[f] ?? null))
        .map((f) => ({ field: f, theirs: current.record[f], yours: mine[f] }))
    : [];
  const fmt = (v: unknown) => (v === null || v === undefined || v === "" ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v));
  return (
    <div data-testid="outbox-conflict">
      <Typography.Paragraph>{t("outbox.conflictHint")}</Typography.Paragraph>
      {current && (
        <Table
          size="small"
          rowKey="field"
          pagination={false}
          dataSource={rows}
          columns={[
            { title: t("conflict.field"), dataIndex: "field" },
            { title: t("conflict.theirs"), dataIndex: "theirs", render: fmt },
            { title: t("conflict.yours"), dataIndex: "yours", render: fmt },
          ]}
        />
      )}
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
      <Space wrap style={{ marginTop: 8 }}>
        {!current && (
          <Button size="small" onClick={() => loadCurrent(item).then(setCurrent, (e: Error) => setError(e.message))}>
            {t("conflict.theirs")}
          </Button>
        )}
        <Button
          size="small"
          type="primary"
          data-testid="outbox-keep-mine"
          onClick={async () => {
            const fresh = current ?? (await loadCurrent(item));
            await outbox.retry(item.id, { ifMatch: fresh.etag });
          }}
        >
          {t("outbox.keepMine")}
        </Button>
      </Space>
    </div>
  );
}

export default function OutboxPage() {
  const { t, i18n } = useTranslation();
  const items = useOutboxItems();
  const [syncing, setSyncing] = useState(false);
  return (
    <>
      <PageTitle
        extra={
          <Button
            type="primary"
            loading={syncing}
            disabled={items.length === 0}
            data-testid="outbox-sync"
            onClick={() => {
              setSyncing(true);
              void outbox.flush(true).finally(() => setSyncing(false));
            }}
          >
            {t("outbox.syncNow")}
          </Button>
        }
      >
        {t("outbox.title")}
      </PageTitle>
      {items.length === 0 ? (
        <Empty description={t("outbox.empty")} data-testid="outbox-empty" />
      ) : (
        <List<OutboxItem>
          dataSource={items}
          data-testid="outbox-list"
          renderItem={(item) => (
            <List.Item key={item.id} data-testid="outbox-item" data-state={item.state}>
              <Card size="small" style={{ width: "100%" }}>
                <Space wrap align="center">
                  <Tag className={STATE_CLASS[item.state]} data-testid="outbox-state">
                    {t(`outbox.state.${item.state}`)}
                  </Tag>
                  <Typography.Text strong>
                    {t(item.method === "POST" ? "outbox.create" : item.method === "DELETE" ? "outbox.delete" : "outbox.update")} · {t(`nav.${item.resource}`, { defaultValue: item.resource })}
                  </Typography.Text>
                  <span>{item.label}</span>
                  <Typography.Text type="secondary">{formatDateTime(new Date(item.createdAt).toISOString(), i18n.language)}</Typography.Text>
                  {item.attempts > 0 && <Typography.Text type="secondary">{t("outbox.attempts", { count: item.attempts })}</Typography.Text>}
                </Space>
                {item.state === "waiting" && item.errorCode === "network" && (
                  <div>
                    <Typography.Text type="secondary">{t("outbox.networkReason")}</Typography.Text>
                  </div>
                )}
                {item.error && (
                  <div data-testid="outbox-error">
                    <Typography.Text type={item.state === "failed" ? "danger" : "secondary"}>{item.error}</Typography.Text>
                  </div>
                )}
                {item.state === "conflict" && <ConflictDetail item={item} />}
                <Space style={{ marginTop: 8 }}>
                  {item.state === "failed" && (
                    <Button size="small" onClick={() => void outbox.retry(item.id)}>
                      {t("outbox.retry")}
                    </Button>
                  )}
                  <Popconfirm title={t("outbox.discard")} onConfirm={() => outbox.remove(item.id)}>
                    <Button size="small" danger data-testid="outbox-discard">
                      {t("outbox.discard")}
                    </Button>
                  </Popconfirm>
                </Space>
              </Card>
            </List.Item>
          )}
        />
      )}
    </>
  );
}
