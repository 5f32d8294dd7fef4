import { PlusOutlined } from "@ant-design/icons";
import { Button } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api, unwrap, type Schemas } from "../../api/client";
import { useAuth } from "../../auth/AuthContext";
import { ActiveTag } from "../../components/ActiveTag";
import { CursorTable } from "../../components/CursorTable";
import { PageTitle } from "../../components/PageTitle";
import { useCursorList } from "../../components/useCursorList";
import { useSearchState } from "../../components/useSearchState";
import { formatDate } from "../../lib/datetime";

type Round = Schemas["Round"];

export default function RoundListPage() {
  const { t, i18n } = useTranslation();
  const { role } = useAuth();
  const search = useSearchState();
  const sort = search.get("sort") ?? "-number";
  const list = useCursorList<Round>(["rounds", { sort }], (cursor) =>
    unwrap(api.GET("/api/v1/rounds", { params: { query: { sort, cursor, limit: 50 } } })),
  );
  const columns: ColumnsType<Round> = [
    { title: t("round.number"), dataIndex: "number", sorter: true },
    { title: t("round.name"), dataIndex: "name" },
    { title: t("round.starts_on"), dataIndex: "starts_on", render: (d: string) => formatDate(d, i18n.language) },
    { title: t("round.ends_on"), dataIndex: "ends_on", render: (d: string) => formatDate(d, i18n.language) },
    { title: t("user.status"), dataIndex: "active", render: (a: boolean) => <ActiveTag active={a} /> },
    {
      title: t("common.actions"),
      key: "actions",
      render: (_: unknown, r) =>
        role === "admin" && (
          <Link to={`/rounds/${r.id}/edit`}>{t("common.edit")}</Link>
        ),
    },
  ];
  return (
    <>
      <PageTitle
        extra={
          role === "admin" && (
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
