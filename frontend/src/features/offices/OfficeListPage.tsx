import { PlusOutlined } from "@ant-design/icons";
import { Button, Input } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { fetchOffices, officeKeys, type Office } from "./api";
import { ActiveTag } from "../../components/ActiveTag";
import { CursorTable } from "../../components/CursorTable";
import type { Column } from "../../components/DataTable";
import { PageTitle } from "../../components/PageTitle";
import { useCursorList } from "../../components/useCursorList";
import { useSearchState } from "../../components/useSearchState";


export default function OfficeListPage() {
  const { t } = useTranslation();
  const search = useSearchState();
  const filters = { q: search.get("q"), sort: search.get("sort") ?? "name" };
  const list = useCursorList<Office>(officeKeys.list(filters), (cursor) => fetchOffices({ ...filters, cursor, limit: 50 }));
  const columns: Column<Office>[] = [
    { title: t("office.name"), dataIndex: "name", sorter: "name" },
    { title: t("user.status"), dataIndex: "active", render: (a: boolean) => <ActiveTag active={a} /> },
    { title: t("common.actions"), key: "actions", render: (_: unknown, o) => <Link to={`/offices/${o.id}/edit`}>{t("common.edit")}</Link> },
  ];
  return (
    <>
      <PageTitle
        extra={
          <Link to="/offices/new">
            <Button type="primary" icon={<PlusOutlined />}>
              {t("office.new")}
            </Button>
          </Link>
        }
      >
        {t("office.list")}
      </PageTitle>
      <div className="page-toolbar">
        <Input.Search allowClear aria-label={t("common.search")} placeholder={t("common.search")} defaultValue={filters.q} onSearch={(q) => search.set({ q: q.trim() })} style={{ maxWidth: 320 }} />
      </div>
      <CursorTable<Office> rowKey="id" list={list} columns={columns} sort={filters.sort} onSortChange={(s) => search.set({ sort: s })} />
    </>
  );
}
