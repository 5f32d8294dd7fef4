import { PlusOutlined } from "@ant-design/icons";
import { Button, Input } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { cadreKeys, fetchCadres, type Cadre } from "./api";
import { ActiveTag } from "../../components/ActiveTag";
import { CursorTable } from "../../components/CursorTable";
import type { Column } from "../../components/DataTable";
import { PageTitle } from "../../components/PageTitle";
import { ImportLink } from "../imports/ImportLink";
import { OfficeSelect, useOfficeNames } from "../../components/pickers";
import { useCursorList } from "../../components/useCursorList";
import { useSearchState } from "../../components/useSearchState";


export default function CadreListPage() {
  const { t } = useTranslation();
  const search = useSearchState();
  const officeNames = useOfficeNames();
  const officeParam = search.get("office_id");
  const filters = { q: search.get("q"), sort: search.get("sort") ?? "name", office_id: officeParam ? Number(officeParam) : undefined };
  const list = useCursorList<Cadre>(cadreKeys.list(filters), (cursor) => fetchCadres({ ...filters, cursor, limit: 50 }));
  const columns: Column<Cadre>[] = [
    { title: t("cadre.name"), dataIndex: "name", sorter: "name" },
    { title: t("cadre.name_bo"), dataIndex: "name_bo", render: (v: string | null) => <span lang="bo" className="bo">{v}</span> },
    { title: t("cadre.office"), dataIndex: "office_id", render: (id: number | null) => (id ? officeNames.get(id) ?? id : "") },
    { title: t("cadre.position"), dataIndex: "position" },
    { title: t("cadre.phone"), dataIndex: "phone" },
    { title: t("user.status"), dataIndex: "active", render: (a: boolean) => <ActiveTag active={a} /> },
    { title: t("common.actions"), key: "actions", render: (_: unknown, c) => <Link to={`/cadres/${c.id}/edit`}>{t("common.edit")}</Link> },
  ];
  return (
    <>
      <PageTitle
        extra={
          <>
            <ImportLink kind="cadres" />
            <Link to="/cadres/new">
              <Button type="primary" icon={<PlusOutlined />}>
                {t("cadre.new")}
              </Button>
            </Link>
          </>
        }
      >
        {t("cadre.list")}
      </PageTitle>
      <div className="page-toolbar">
        <Input.Search allowClear aria-label={t("common.search")} placeholder={t("common.search")} defaultValue={filters.q} onSearch={(q) => search.set({ q: q.trim().normalize("NFC") })} style={{ maxWidth: 320 }} />
        <OfficeSelect
          placeholder={t("cadre.office")}
          aria-label={t("cadre.office")}
          value={filters.office_id}
          onChange={(v) => search.set({ office_id: v ? String(v) : null })}
          style={{ minWidth: 180 }}
        />
      </div>
      <CursorTable<Cadre> rowKey="id" list={list} columns={columns} sort={filters.sort} onSortChange={(s) => search.set({ sort: s })} />
    </>
  );
}
