import { PlusOutlined } from "@ant-design/icons";
import { Button } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { fetchTeams, teamKeys, teamLabel, type Team } from "./api";
import { useCanWrite } from "../../components/guards";
import { ActiveTag } from "../../components/ActiveTag";
import { CursorTable } from "../../components/CursorTable";
import type { Column } from "../../components/DataTable";
import { PageTitle } from "../../components/PageTitle";
import { RoundSelect, VillageSelect } from "../../components/pickers";
import { useCursorList } from "../../components/useCursorList";
import { useSearchState } from "../../components/useSearchState";


export default function TeamListPage() {
  const { t } = useTranslation();
  const canEdit = useCanWrite("teams");
  const search = useSearchState();
  const num = (name: string) => {
    const v = search.get(name);
    return v ? Number(v) : undefined;
  };
  const filters = { round_id: num("round_id"), village_id: num("village_id"), sort: search.get("sort") ?? "-round" };
  const list = useCursorList<Team>(teamKeys.list(filters), (cursor) => fetchTeams({ ...filters, cursor, limit: 50 }));
  const columns: Column<Team>[] = [
    { title: t("team.name"), dataIndex: "name", render: (_: unknown, team) => <Link to={`/teams/${team.id}`}>{teamLabel(team)}</Link> },
    { title: t("team.round"), key: "round", sorter: "round", render: (_: unknown, team) => team.round_number },
    { title: t("team.village"), key: "village", sorter: "village", render: (_: unknown, team) => team.village_name },
    { title: t("team.members"), dataIndex: "member_count" },
    { title: t("user.status"), dataIndex: "active", render: (a: boolean) => <ActiveTag active={a} /> },
  ];
  return (
    <>
      <PageTitle
        extra={
          canEdit && (
            <Link to="/teams/new">
              <Button type="primary" icon={<PlusOutlined />}>
                {t("team.new")}
              </Button>
            </Link>
          )
        }
      >
        {t("team.list")}
      </PageTitle>
      <div className="page-toolbar">
        <RoundSelect aria-label={t("team.round")} placeholder={t("team.round")} value={filters.round_id} onChange={(v) => search.set({ round_id: v ? String(v) : null })} style={{ minWidth: 140 }} />
        <VillageSelect aria-label={t("team.village")} placeholder={t("team.village")} value={filters.village_id} onChange={(v) => search.set({ village_id: v ? String(v) : null })} style={{ minWidth: 200 }} />
      </div>
      <CursorTable<Team> rowKey="id" list={list} columns={columns} sort={filters.sort} onSortChange={(s) => search.set({ sort: s })} />
    </>
  );
}
