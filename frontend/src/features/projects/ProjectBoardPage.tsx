// 驻村项目 board: the projects of the user's villages (the department's: all) grouped by stage —
// one column per stage on a desktop (≥ lg, scrolling sideways when the columns do not fit), one
// stage at a time on a phone (the stage chosen in a select, kept in the URL). Filters in the URL
// (village, year, category, search). One bounded fetch of up to 500 projects; 显示更多 fetches the
// next 500 when the server has more.
import { PlusOutlined } from "@ant-design/icons";
import { useInfiniteQuery } from "@tanstack/react-query";
import { Alert, Button, Empty, Grid, Input, Select, Space, Spin, Typography } from "antd";
import { useEffect, useId } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useAuth } from "../../auth/AuthContext";
import { useCanWrite } from "../../components/guards";
import { DownloadButtons } from "../../components/DownloadButton";
import { PageTitle } from "../../components/PageTitle";
import { VillageSelect } from "../../components/pickers";
import { isVillageUser } from "../../components/roles";
import { useSearchState } from "../../components/useSearchState";
import { thisYear } from "../households/api";
import { BOARD_PAGE_SIZE, boardFilters, CATEGORIES, fetchProjects, groupByStage, phoneStage, projectKeys, STAGES, type Project, type Stage } from "./api";
import { ProjectCard } from "./ProjectParts";

function Column({ stage, projects }: { stage: Stage; projects: Project[] }) {
  const { t } = useTranslation();
  const headingId = useId();
  return (
    <section className="project-column" aria-labelledby={headingId} data-testid={`project-column-${stage}`}>
      <h2 id={headingId}>
        <span>{t(`project.stages.${stage}`)}</span>
        <span className="project-column-count">{projects.length}</span>
      </h2>
      {projects.length === 0 ? (
        <Typography.Text type="secondary">{t("project.noneInStage")}</Typography.Text>
      ) : (
        <ul className="project-cards">
          {projects.map((p) => (
            <li key={p.id}>
              <ProjectCard project={p} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export default function ProjectBoardPage() {
  const { t } = useTranslation();
  const { me, role } = useAuth();
  const canWrite = useCanWrite("projects");
  const search = useSearchState();
  const filters = boardFilters(search.get);
  const desktop = Grid.useBreakpoint().lg === true;
  // A project's page is the next one opened: its chunk comes while the board is read.
  useEffect(() => {
    import("./ProjectDetailPage").catch(() => undefined);
  }, []);
  const list = useInfiniteQuery({
    queryKey: projectKeys.list({ ...filters, limit: BOARD_PAGE_SIZE }),
    queryFn: ({ pageParam }) => fetchProjects({ ...filters, limit: BOARD_PAGE_SIZE, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const projects = list.data?.pages.flatMap((p) => p.items) ?? [];
  const total = list.data?.pages[0]?.total;
  const groups = groupByStage(projects);
  const stage = phoneStage(search.get("stage"), groups);
  const villageUser = isVillageUser(role);
  const myVillages = me?.villages ?? [];
  const newPath = filters.village_id
    ? `/villages/${filters.village_id}/projects/new`
    : villageUser && myVillages.length === 1
      ? `/villages/${myVillages[0]?.id}/projects/new`
      : "/projects/new";
  const years = Array.from({ length: thisYear() + 2 - 2011 }, (_, i) => thisYear() + 1 - i);
  return (
    <>
      <PageTitle
        extra={
          canWrite && (
            <Link to={newPath} tabIndex={-1}>
              <Button type="primary" icon={<PlusOutlined />} data-testid="project-new">
                {t("project.new")}
              </Button>
            </Link>
          )
        }
      >
        {t("project.list")}
      </PageTitle>
      <div className="page-toolbar" data-testid="list-downloads">
        <DownloadButtons path="/api/v1/projects" query={filters} baseName={t("project.list")} />
      </div>
      <div className="page-toolbar">
        <Input.Search
          allowClear
          defaultValue={filters.q}
          placeholder={t("project.searchPlaceholder")}
          aria-label={t("project.searchPlaceholder")}
          onSearch={(q) => search.set({ q: q.trim().normalize("NFC") })}
          style={{ maxWidth: 320 }}
          data-testid="project-search"
        />
        {villageUser ? (
          myVillages.length > 1 && (
            <Select<number>
              allowClear
              aria-label={t("project.village")}
              placeholder={t("project.allVillages")}
              value={filters.village_id}
              onChange={(v) => search.set({ village: v ? String(v) : null })}
              options={myVillages.map((v) => ({ value: v.id, label: v.name }))}
              style={{ minWidth: 140 }}
              data-testid="project-filter-village"
            />
          )
        ) : (
          <VillageSelect
            aria-label={t("project.village")}
            placeholder={t("project.allVillages")}
            value={filters.village_id}
            onChange={(v) => search.set({ village: v ? String(v) : null })}
            style={{ minWidth: 160 }}
            data-testid="project-filter-village"
          />
        )}
        <Select<number>
          allowClear
          aria-label={t("project.year")}
          placeholder={t("project.allYears")}
          value={filters.year}
          onChange={(v) => search.set({ year: v ? String(v) : null })}
          options={years.map((y) => ({ value: y, label: t("project.yearOption", { year: y }) }))}
          style={{ minWidth: 110 }}
          data-testid="project-filter-year"
        />
        <Select<string>
          allowClear
          aria-label={t("project.category")}
          placeholder={t("project.allCategories")}
          value={filters.category}
          onChange={(v) => search.set({ category: v ?? null })}
          options={CATEGORIES.map((c) => ({ value: c, label: t(`project.categories.${c}`) }))}
          style={{ minWidth: 130 }}
          data-testid="project-filter-category"
        />
      </div>
      {list.error && <Alert type="error" showIcon message={t("common.loadFailed")} description={list.error.message} style={{ marginBottom: 12 }} />}
      {list.isPending ? (
        <Spin />
      ) : desktop ? (
        <div className="project-board" role="region" aria-label={t("project.columns")} tabIndex={0} data-testid="project-board">
          {STAGES.map((s) => (
            <Column key={s} stage={s} projects={groups[s]} />
          ))}
        </div>
      ) : (
        <>
          <Select<Stage>
            aria-label={t("project.stageFilter")}
            value={stage}
            onChange={(v) => search.set({ stage: v })}
            options={STAGES.map((s) => ({ value: s, label: t("project.stageCount", { stage: t(`project.stages.${s}`), count: groups[s].length }) }))}
            style={{ width: "100%", marginBottom: 8 }}
            data-testid="project-stage-filter"
          />
          {groups[stage].length === 0 ? (
            <Empty description={<Typography.Text type="secondary">{projects.length === 0 ? t("project.none") : t("project.noneInStage")}</Typography.Text>} />
          ) : (
            <ul className="project-cards" data-testid="project-stage-list" data-stage={stage}>
              {groups[stage].map((p) => (
                <li key={p.id}>
                  <ProjectCard project={p} />
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <Space wrap style={{ marginTop: 12 }}>
        {total && (
          <span data-testid="list-total">{t(total.exact ? "common.total" : "common.totalMore", { count: total.count })}</span>
        )}
        {list.hasNextPage && (
          <>
            <span>{t("project.shown", { count: projects.length })}</span>
            <Button
              // Not `loading` (antd dims it below 4.5:1): disabled while the next page loads.
              disabled={list.isFetchingNextPage}
              onClick={() => void list.fetchNextPage()}
              data-testid="project-more"
            >
              {t("project.more")}
            </Button>
          </>
        )}
      </Space>
    </>
  );
}
