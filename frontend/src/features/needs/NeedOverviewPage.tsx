// 诉求总览 (`/needs/overview`): the needs of every village the user sees (the department: all),
// the oldest open first, then the answered ones; filters village / status / category / overdue /
// text in the URL; the counts by status with the same filters (each a link to that status);
// cards that fit a 360 px phone; keyset paging.
import { useQueries } from "@tanstack/react-query";
import { Alert, Button, Card, Checkbox, Empty, Input, List, Select, Space, Spin, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useAuth } from "../../auth/AuthContext";
import { useCanWrite } from "../../components/guards";
import { DownloadButtons } from "../../components/DownloadButton";
import { PageTitle } from "../../components/PageTitle";
import { VillageSelect } from "../../components/pickers";
import { isVillageUser } from "../../components/roles";
import { useCursorList } from "../../components/useCursorList";
import { useSearchState } from "../../components/useSearchState";
import { formatCount } from "../../lib/amounts";
import { CATEGORIES, fetchNeeds, NEED_PAGE_SIZE, needFilters, needKeys, STATUSES, type Need, type NeedQuery } from "./api";
import { NeedCard, StatusTag } from "./NeedParts";

/** How many needs of each status the filters leave: one counted request (limit 1) per status. */
function StatusCounts({ filters, onPick }: { filters: Omit<NeedQuery, "limit" | "cursor">; onPick: (status: string | null) => void }) {
  const { i18n } = useTranslation();
  const base = { ...filters, limit: 1 };
  const counts = useQueries({
    queries: STATUSES.map((status) => {
      const query: NeedQuery = { ...base, status };
      return { queryKey: needKeys.counts(query), queryFn: () => fetchNeeds(query) };
    }),
  });
  return (
    <Card size="small" style={{ marginBottom: 12 }} data-testid="need-counts">
      <div style={{ display: "flex", flexWrap: "wrap", gap: 12 }}>
        {STATUSES.map((status, i) => {
          const total = counts[i]?.data?.total;
          const shown = total ? (total.exact ? formatCount(total.count, i18n.language) : `${formatCount(total.count, i18n.language)}+`) : "…";
          return (
            <Button
              key={status}
              type={filters.status === status ? "primary" : "text"}
              size="small"
              onClick={() => onPick(filters.status === status ? null : status)}
              aria-pressed={filters.status === status}
              data-testid={`need-count-${status}`}
            >
              <StatusTag status={status} />
              <span data-testid="need-count-value">{shown}</span>
            </Button>
          );
        })}
      </div>
    </Card>
  );
}

export default function NeedOverviewPage() {
  const { t } = useTranslation();
  const { me, role } = useAuth();
  const canWrite = useCanWrite("needs");
  const search = useSearchState();
  const filters = needFilters(search.get);
  const list = useCursorList<Need>(needKeys.list(filters), (cursor) => fetchNeeds({ ...filters, cursor, limit: NEED_PAGE_SIZE }));
  const villageUser = isVillageUser(role);
  const myVillages = me?.villages ?? [];
  return (
    <>
      <PageTitle>{t("need.overview")}</PageTitle>
      <div className="page-toolbar" data-testid="list-downloads">
        <DownloadButtons path="/api/v1/needs" query={filters} baseName={t("need.overview")} />
      </div>
      <div className="page-toolbar">
        <Input.Search
          allowClear
          defaultValue={filters.q}
          placeholder={t("need.searchPlaceholder")}
          aria-label={t("need.searchPlaceholder")}
          onSearch={(q) => search.set({ q: q.trim().normalize("NFC") })}
          style={{ maxWidth: 260 }}
          data-testid="need-search"
        />
        {villageUser ? (
          myVillages.length > 1 && (
            <Select<number>
              allowClear
              aria-label={t("need.village")}
              placeholder={t("need.allVillages")}
              value={filters.village_id}
              onChange={(v) => search.set({ village: v ? String(v) : null })}
              options={myVillages.map((v) => ({ value: v.id, label: v.name }))}
              style={{ minWidth: 140 }}
              data-testid="need-filter-village"
            />
          )
        ) : (
          <VillageSelect
            aria-label={t("need.village")}
            placeholder={t("need.allVillages")}
            value={filters.village_id}
            onChange={(v) => search.set({ village: v ? String(v) : null })}
            style={{ minWidth: 160 }}
            data-testid="need-filter-village"
          />
        )}
        <Select<string>
          allowClear
          aria-label={t("need.status")}
          placeholder={t("need.allStatuses")}
          value={filters.status}
          onChange={(v) => search.set({ status: v ?? null })}
          options={STATUSES.map((s) => ({ value: s, label: t(`need.statuses.${s}`) }))}
          style={{ minWidth: 120 }}
          data-testid="need-filter-status"
        />
        <Select<string>
          allowClear
          aria-label={t("need.category")}
          placeholder={t("need.allCategories")}
          value={filters.category}
          onChange={(v) => search.set({ category: v ?? null })}
          options={CATEGORIES.map((c) => ({ value: c, label: t(`need.categories.${c}`) }))}
          style={{ minWidth: 110 }}
          data-testid="need-filter-category"
        />
        <Checkbox checked={filters.overdue === true} onChange={(e) => search.set({ overdue: e.target.checked ? "true" : null })} data-testid="need-filter-overdue">
          {t("need.onlyOverdue")}
        </Checkbox>
      </div>
      <StatusCounts filters={filters} onPick={(status) => search.set({ status })} />
      {list.query.error && <Alert type="error" showIcon message={t("common.loadFailed")} description={list.query.error.message} />}
      {list.query.isPending ? (
        <Spin />
      ) : (
        <List<Need>
          dataSource={list.items}
          data-testid="need-list"
          locale={{ emptyText: <Empty description={<Typography.Text type="secondary">{t("need.none")}</Typography.Text>} /> }}
          grid={{ gutter: 8, xs: 1, sm: 1, md: 2, xl: 3 }}
          renderItem={(n) => (
            <List.Item key={n.id} style={{ marginBottom: 8 }}>
              <NeedCard need={n} canWrite={canWrite} showVillage />
            </List.Item>
          )}
        />
      )}
      <Space wrap style={{ marginTop: 4 }}>
        <Button disabled={!list.hasPrev} onClick={list.prev} data-testid="page-prev">
          {t("common.prev")}
        </Button>
        <span data-testid="page-number">{list.page}</span>
        {list.total && <span data-testid="list-total">{t(list.total.exact ? "common.total" : "common.totalMore", { count: list.total.count })}</span>}
        <Button disabled={!list.hasNext || (list.query.isFetching && !list.query.isPending)} onClick={list.next} data-testid="page-next">
          {t("common.next")}
        </Button>
      </Space>
    </>
  );
}
