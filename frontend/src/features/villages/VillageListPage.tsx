import { PlusOutlined } from "@ant-design/icons";
import { Button, Checkbox, Input } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useCanWrite } from "../../components/guards";
import { ActiveTag } from "../../components/ActiveTag";
import { CursorTable } from "../../components/CursorTable";
import type { Column } from "../../components/DataTable";
import { PageTitle } from "../../components/PageTitle";
import { ImportLink } from "../imports/ImportLink";
import { useCursorList } from "../../components/useCursorList";
import { useSearchState } from "../../components/useSearchState";
import { VillageName } from "../../components/VillageName";
import { fetchVillages, VILLAGE_PAGE_SIZE, villageKeys, type Village } from "./api";

export default function VillageListPage() {
  const { t } = useTranslation();
  const canEdit = useCanWrite("villages");
  const search = useSearchState();
  const filters = {
    q: search.get("q"),
    prefecture: search.get("prefecture"),
    county: search.get("county"),
    sort: search.get("sort") ?? "name",
    // Deactivated villages keep their history but are hidden unless asked for.
    active: search.get("all") ? undefined : true,
  };
  const list = useCursorList<Village>(villageKeys.list(filters), (cursor) => fetchVillages({ ...filters, cursor, limit: VILLAGE_PAGE_SIZE }));
  const columns: Column<Village>[] = [
    {
      title: t("village.name"),
      dataIndex: "name",
      sorter: "name",
      render: (_: unknown, v) => (
        <Link to={`/villages/${v.id}`}>
          <VillageName name={v.name} nameBo={v.name_bo} />
        </Link>
      ),
    },
    { title: t("village.prefecture"), dataIndex: "prefecture" },
    { title: t("village.county"), dataIndex: "county", sorter: "county" },
    { title: t("village.township"), dataIndex: "township" },
    { title: t("village.code"), dataIndex: "code" },
    { title: t("user.status"), dataIndex: "active", render: (a: boolean) => <ActiveTag active={a} /> },
  ];
  return (
    <>
      <PageTitle
        extra={
          <>
            <ImportLink kind="villages" />
            {canEdit && (
              <Link to="/villages/new">
                <Button type="primary" icon={<PlusOutlined />} data-testid="village-new">
                  {t("village.new")}
                </Button>
              </Link>
            )}
          </>
        }
      >
        {t("village.list")}
      </PageTitle>
      <div className="page-toolbar">
        <Input.Search
          allowClear
          defaultValue={filters.q}
          placeholder={t("village.searchPlaceholder")}
          aria-label={t("village.searchPlaceholder")}
          onSearch={(q) => search.set({ q: q.trim().normalize("NFC") })}
          style={{ maxWidth: 320 }}
          data-testid="village-search"
        />
        <Input
          allowClear
          defaultValue={filters.prefecture}
          placeholder={t("village.prefecture")}
          aria-label={t("village.prefecture")}
          onPressEnter={(e) => search.set({ prefecture: e.currentTarget.value.trim() })}
          onBlur={(e) => search.set({ prefecture: e.currentTarget.value.trim() })}
          style={{ maxWidth: 160 }}
          data-testid="village-filter-prefecture"
        />
        <Input
          allowClear
          defaultValue={filters.county}
          placeholder={t("village.county")}
          aria-label={t("village.county")}
          onPressEnter={(e) => search.set({ county: e.currentTarget.value.trim() })}
          onBlur={(e) => search.set({ county: e.currentTarget.value.trim() })}
          style={{ maxWidth: 160 }}
          data-testid="village-filter-county"
        />
        <Checkbox checked={filters.active === undefined} onChange={(e) => search.set({ all: e.target.checked ? "1" : null })}>
          {t("common.showInactive")}
        </Checkbox>
      </div>
      <CursorTable<Village>
        rowKey="id"
        list={list}
        columns={columns}
        sort={filters.sort}
        onSortChange={(sort) => search.set({ sort })}
        data-testid="village-table"
      />
    </>
  );
}
