import { DatePicker, Input, Select, Table, Typography } from "antd";
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { CursorTable } from "../../components/CursorTable";
import type { Column } from "../../components/DataTable";
import { PageTitle } from "../../components/PageTitle";
import { useCursorList } from "../../components/useCursorList";
import { useSearchState } from "../../components/useSearchState";
import { formatDateTime } from "../../lib/datetime";
import { AUDIT_ACTIONS, AUDIT_ENTITIES, auditKeys, diffRows, entityPath, fetchAudit, type AuditEntry, type FieldChange } from "./api";

function show(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return value ? "✓" : "✗";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** A field name in the reader's language when the entity's i18n table has it. */
function useFieldLabel() {
  const { t } = useTranslation();
  const prefix: Record<string, string> = { village: "village", team: "team", team_member: "team", user: "user", cadre: "cadre", office: "office", round: "round" };
  return (entity: string, field: string) => {
    const p = prefix[entity];
    return p ? t(`${p}.${field}`, { defaultValue: field }) : field;
  };
}

function Changes({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const label = useFieldLabel();
  const changes = diffRows(entry.before, entry.after);
  return (
    <div data-testid="audit-changes">
      {changes.length === 0 ? (
        <Typography.Text type="secondary">{t("audit.noChanges")}</Typography.Text>
      ) : (
        <Table<FieldChange>
          size="small"
          rowKey="field"
          pagination={false}
          dataSource={changes}
          scroll={{ x: "max-content" }}
          columns={[
            { title: t("audit.field"), dataIndex: "field", render: (f: string) => label(entry.entity, f) },
            ...(entry.before ? [{ title: t("audit.before"), dataIndex: "before", render: show }] : []),
            { title: t("audit.after"), dataIndex: "after", render: (v: unknown) => <ins className="audit-after">{show(v)}</ins> },
          ]}
        />
      )}
      <Typography.Text type="secondary">
        {t("audit.requestId")}: {entry.request_id}
      </Typography.Text>
    </div>
  );
}

export default function AuditPage() {
  const { t, i18n } = useTranslation();
  const search = useSearchState();
  const actor = search.get("actor_id");
  const filters = {
    entity: search.get("entity"),
    action: search.get("action"),
    entity_id: search.get("entity_id"),
    actor_id: actor ? Number(actor) : undefined,
    since: search.get("since"),
    until: search.get("until"),
  };
  const list = useCursorList<AuditEntry>(auditKeys.list(filters), (cursor) => fetchAudit({ ...filters, cursor, limit: 50 }));
  const columns: Column<AuditEntry>[] = [
    { title: t("audit.at"), dataIndex: "at", render: (at: string) => formatDateTime(at, i18n.language) },
    { title: t("audit.actor"), dataIndex: "actor_username" },
    { title: t("audit.action"), dataIndex: "action", render: (a: string) => t(`audit.actions.${a}`, { defaultValue: a }) },
    { title: t("audit.entity"), dataIndex: "entity", render: (e: string) => t(`audit.entities.${e}`, { defaultValue: e }) },
    {
      title: t("audit.entityId"),
      dataIndex: "entity_id",
      render: (id: string, entry) => {
        const path = entityPath(entry.entity, id, entry.after);
        return path ? <Link to={path}>{id}</Link> : id;
      },
    },
  ];
  const range = filters.since || filters.until ? ([filters.since ? dayjs(filters.since) : null, filters.until ? dayjs(filters.until) : null] as const) : null;
  return (
    <>
      <PageTitle>{t("audit.list")}</PageTitle>
      <div className="page-toolbar">
        <Select
          allowClear
          placeholder={t("audit.entity")}
          aria-label={t("audit.entity")}
          value={filters.entity}
          onChange={(v?: string) => search.set({ entity: v ?? null })}
          options={AUDIT_ENTITIES.map((e) => ({ value: e, label: t(`audit.entities.${e}`) }))}
          style={{ minWidth: 140 }}
          data-testid="audit-filter-entity"
        />
        <Select
          allowClear
          placeholder={t("audit.action")}
          aria-label={t("audit.action")}
          value={filters.action}
          onChange={(v?: string) => search.set({ action: v ?? null })}
          options={AUDIT_ACTIONS.map((a) => ({ value: a, label: t(`audit.actions.${a}`) }))}
          style={{ minWidth: 140 }}
          data-testid="audit-filter-action"
        />
        <Input
          allowClear
          defaultValue={filters.entity_id}
          placeholder={t("audit.entityId")}
          aria-label={t("audit.entityId")}
          onPressEnter={(e) => search.set({ entity_id: e.currentTarget.value.trim() })}
          onBlur={(e) => search.set({ entity_id: e.currentTarget.value.trim() })}
          style={{ maxWidth: 140 }}
          data-testid="audit-filter-entity_id"
        />
        <Input
          allowClear
          defaultValue={actor}
          inputMode="numeric"
          placeholder={t("audit.actorId")}
          aria-label={t("audit.actorId")}
          onPressEnter={(e) => search.set({ actor_id: e.currentTarget.value.trim() })}
          onBlur={(e) => search.set({ actor_id: e.currentTarget.value.trim() })}
          style={{ maxWidth: 140 }}
        />
        <DatePicker.RangePicker
          value={range as never}
          allowEmpty={[true, true]}
          placeholder={[t("audit.since"), t("audit.until")]}
          onChange={(dates) =>
            search.set({
              since: dates?.[0] ? dates[0].startOf("day").toISOString() : null,
              until: dates?.[1] ? dates[1].endOf("day").toISOString() : null,
            })
          }
        />
      </div>
      <CursorTable<AuditEntry>
        rowKey="id"
        list={list}
        columns={columns}
        data-testid="audit-table"
        expandable={{ expandedRowRender: (entry) => <Changes entry={entry} />, rowExpandable: (entry) => entry.before != null || entry.after != null }}
      />
    </>
  );
}
