import { PlusOutlined } from "@ant-design/icons";
import { Button } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { fetchRounds, roundKeys, type Round } from "./api";
import { useCanWrite } from "../../components/guards";
import { ActiveTag } from "../../components/ActiveTag";
import { CursorTable } from "../../components/CursorTable";
import type { Column } from "../../components/DataTable";
import { PageTitle } from "../../components/PageTitle";
import { useCursorList } from "../../components/useCursorList";
import { useSearchState } from "../../components/useSearchState";
import { formatDate } from "../../lib/datetime";


export default function RoundListPage() {
  const { t, i18n } = useTranslation();
  const canEdit = useCanWrite("rounds");
  const search = useSearchState();
  const sort = search.get("sort") ?? "-number";
  const list = useCursorList<Round>(roundKeys.list({ sort }), (cursor) => fetchRounds({ sort, cursor, limit: 50 }));
  const columns: Column<Round>[] = [
    { title: t("round.number"), dataIndex: "number", sorter: "number" },
    { title: t("round.name"), dataIndex: "name" },
    { title: t("round.starts_on"), dataIndex: "starts_on", render: (d: string) => formatDate(d, i18n.language) },
    { title: t("round.ends_on"), dataIndex: "ends_on", render: (d: string) => formatDate(d, i18n.language) },
    { title: t("user.status"), dataIndex: "active", render: (a: boolean) => <ActiveTag active={a} /> },
    {
      title: t("common.actions"),
      key: "actions",
      render: (_: unknown, r) =>
        canEdit && (
          <Link to={`/rounds/${r.id}/edit`}>{t("common.edit")}</Link>
        ),
    },
  ];
  return (
    <>
      <PageTitle
        extra={
          canEdit && (
            <Link to="/rounds/new">
              <Button type="primary" icon={<PlusOutlined />}>
                {t("round.new")}
              </Button>
            </Link>
          )
        }
      >
        {t("round.list")}
      </PageTitle>
      <CursorTable<Round> rowKey="id" list={list} columns={columns} sort={sort} onSortChange={(s) => search.set({ sort: s })} />
    </>
  );
}
