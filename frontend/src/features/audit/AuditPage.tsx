import { Input, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useTranslation } from "react-i18next";
import { api, unwrap, type Schemas } from "../../api/client";
import { CursorTable } from "../../components/CursorTable";
import { PageTitle } from "../../components/PageTitle";
import { useCursorList } from "../../components/useCursorList";
import { useSearchState } from "../../components/useSearchState";
import { formatDateTime } from "../../lib/datetime";

type Entry = Schemas["AuditEntry"];

function Json({ value }: { value: unknown }) {
  return (
    <pre style={{ margin: 0, fontSize: 12, whiteSpace: "pre-wrap", wordBreak: "break-all" }}>{JSON.stringify(value, null, 2)}</pre>
  );
}

export default function AuditPage() {
  const { t, i18n } = useTranslation();
  const search = useSearchState();
  const filters = { entity: search.get("entity"), action: search.get("action"), entity_id: search.get("entity_id") };
  const list = useCursorList<Entry>(["audit", filters], (cursor) =>
    unwrap(api.GET("/api/v1/audit", { params: { query: { ...filters, cursor, limit: 50 } } })),
  );
  const columns: ColumnsType<Entry> = [
    { title: t("audit.at"), dataIndex: "at", render: (at: string) => formatDateTime(at, i18n.language) },
    { title: t("audit.actor"), dataIndex: "actor_username" },
    { title: t("audit.action"), dataIndex: "action" },
    { title: t("audit.entity"), dataIndex: "entity" },
    { title: t("audit.entityId"), dataIndex: "entity_id" },
  ];
  const filterInput = (name: "entity" | "action" | "entity_id", label: string) => (
    <Input
      allowClear
      defaultValue={filters[name]}
      placeholder={label}
      onPressEnter={(e) => search.set({ [name]: e.currentTarget.value.trim() })}
      onBlur={(e) => search.set({ [name]: e.currentTarget.value.trim() })}
      style={{ maxWidth: 180 }}
      data-testid={`audit-filter-${name}`}
    />
  );
  return (
    <>
      <PageTitle>{t("audit.list")}</PageTitle>
      <div className="page-toolbar">
        {filterInput("entity", t("audit.entity"))}
        {filterInput("action", t("audit.action"))}
        {filterInput("entity_id", t("audit.entityId"))}
      </div>
      <CursorTable<Entry>
        rowKey="id"
        list={list}
        columns={columns}
        data-testid="audit-table"
        expandable={{
          expandedRowRender: (entry) => (
            <div style={{ display: "flex", flexWrap: "wrap", gap: 16 }}>
              <div style={{ flex: "1 1 280px", minWidth: 0 }}>
                <Typography.Text strong>{t("audit.before")}</Typography.Text>
                <Json value={entry.before} />
              </div>
              <div style={{ flex: "1 1 280px", minWidth: 0 }}>
                <Typography.Text strong>{t("audit.after")}</Typography.Text>
                <Json value={entry.after} />
              </div>
              <Typography.Text type="secondary">
                {t("audit.requestId")}: {entry.request_id}
              </Typography.Text>
            </div>
          ),
        }}
      />
    </>
  );
}
