// 农牧户: the households of the user's villages (the department's: all) as cards that fit a 360 px
// phone, with category tags, filters in the URL (village, category, monitoring type, paired in a
// year), a search box for the head's Chinese, Tibetan or pinyin name, and keyset paging.
import { PlusOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Empty, Input, InputNumber, List, Select, Space, Spin, Typography } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useAuth } from "../../auth/AuthContext";
import { useCanWrite } from "../../components/guards";
import { DownloadButtons } from "../../components/DownloadButton";
import { PageTitle } from "../../components/PageTitle";
import { ImportLink } from "../imports/ImportLink";
import { VillageSelect } from "../../components/pickers";
import { isVillageUser, PAIRING_READERS } from "../../components/roles";
import { useCursorList } from "../../components/useCursorList";
import { useSearchState } from "../../components/useSearchState";
import { CATEGORIES, fetchHouseholds, HOUSEHOLD_PAGE_SIZE, householdKeys, MONITORING_TYPES, thisYear, type Household, type HouseholdQuery } from "./api";
import { CategoryTag, HeadName } from "./HouseholdTags";

const num = (v: string | undefined) => (v && /^\d+$/.test(v) ? Number(v) : undefined);

/** The list's query from the URL's parameters. */
export function householdFilters(get: (name: string) => string | undefined): HouseholdQuery {
  const paired = get("paired");
  const year = num(get("year")) ?? thisYear();
  return {
    q: get("q"),
    village_id: num(get("village")),
    category: get("category"),
    monitoring_type: get("category") === "monitored" ? get("monitoring") : undefined,
    paired: paired === "yes" ? true : paired === "no" ? false : undefined,
    year: paired === "yes" || paired === "no" ? year : undefined,
    sort: get("sort") ?? "name",
  };
}

export function HouseholdCard({ household: h }: { household: Household }) {
  const { t } = useTranslation();
  return (
    <Card size="small" style={{ width: "100%" }} data-testid="household-card">
      <Link to={`/households/${h.id}`} data-testid="household-link" style={{ fontSize: 16, fontWeight: 600 }}>
        <HeadName name={h.head_name} nameBo={h.head_name_bo} />
      </Link>
      <div style={{ marginTop: 4 }}>
        <CategoryTag category={h.category} monitoringType={h.monitoring_type} />
      </div>
      <Typography.Text type="secondary" style={{ display: "block", marginTop: 4 }}>
        {h.village_name}
        {h.address ? ` · ${h.address}` : ""} · {t("household.members_count", { count: h.members })}
      </Typography.Text>
    </Card>
  );
}

export default function HouseholdListPage() {
  const { t } = useTranslation();
  const { me, role } = useAuth();
  const canWrite = useCanWrite("households");
  const search = useSearchState();
  const filters = householdFilters(search.get);
  // A household's page is the next one opened: its chunk comes while the list is read.
  useEffect(() => {
    import("./HouseholdDetailPage").catch(() => undefined);
  }, []);
  const list = useCursorList<Household>(householdKeys.list(filters), (cursor) => fetchHouseholds({ ...filters, cursor, limit: HOUSEHOLD_PAGE_SIZE }));
  const villageUser = isVillageUser(role);
  // The committee does not read pairings: no "paired" filter for it.
  const readsPairings = role !== undefined && PAIRING_READERS.includes(role);
  const myVillages = me?.villages ?? [];
  const paired = search.get("paired") ?? "";
  const newPath = filters.village_id ? `/villages/${filters.village_id}/households/new` : villageUser && myVillages.length === 1 ? `/villages/${myVillages[0]?.id}/households/new` : "/households/new";
  return (
    <>
      <PageTitle
        extra={
          <>
            <ImportLink kind="households" />
            {canWrite && (
              <Link to={newPath} tabIndex={-1}>
                <Button type="primary" icon={<PlusOutlined />} data-testid="household-new">
                  {t("household.new")}
                </Button>
              </Link>
            )}
          </>
        }
      >
        {t("household.list")}
      </PageTitle>
      <div className="page-toolbar" data-testid="list-downloads">
        <DownloadButtons path="/api/v1/households" query={filters} baseName={t("household.list")} />
      </div>
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {t("household.personalHint")}
      </Typography.Paragraph>
      <div className="page-toolbar">
        <Input.Search
          allowClear
          defaultValue={filters.q}
          placeholder={t("household.searchPlaceholder")}
          aria-label={t("household.searchPlaceholder")}
          onSearch={(q) => search.set({ q: q.trim().normalize("NFC") })}
          style={{ maxWidth: 320 }}
          data-testid="household-search"
        />
        {villageUser ? (
          myVillages.length > 1 && (
            <Select<number>
              allowClear
              aria-label={t("household.village")}
              placeholder={t("household.allVillages")}
              value={filters.village_id}
              onChange={(v) => search.set({ village: v ? String(v) : null })}
              options={myVillages.map((v) => ({ value: v.id, label: v.name }))}
              style={{ minWidth: 140 }}
              data-testid="household-filter-village"
            />
          )
        ) : (
          <VillageSelect
            aria-label={t("household.village")}
            placeholder={t("household.allVillages")}
            value={filters.village_id}
            onChange={(v) => search.set({ village: v ? String(v) : null })}
            style={{ minWidth: 160 }}
            data-testid="household-filter-village"
          />
        )}
        <Select<string>
          allowClear
          aria-label={t("household.category")}
          placeholder={t("household.allCategories")}
          value={filters.category}
          onChange={(v) => search.set({ category: v ?? null, monitoring: null })}
          options={CATEGORIES.map((c) => ({ value: c, label: t(`household.categories.${c}`) }))}
          style={{ minWidth: 150 }}
          data-testid="household-filter-category"
        />
        {filters.category === "monitored" && (
          <Select<string>
            allowClear
            aria-label={t("household.monitoring_type")}
            placeholder={t("household.allMonitoring")}
            value={filters.monitoring_type}
            onChange={(v) => search.set({ monitoring: v ?? null })}
            options={MONITORING_TYPES.map((m) => ({ value: m, label: t(`household.monitoring.${m}`) }))}
            style={{ minWidth: 150 }}
            data-testid="household-filter-monitoring"
          />
        )}
        <Select<string>
          aria-label={t("household.sort")}
          value={filters.sort === "-updated" ? "-updated" : "name"}
          onChange={(v) => search.set({ sort: v === "name" ? null : v })}
          options={[
            { value: "name", label: t("household.sortName") },
            { value: "-updated", label: t("household.sortUpdated") },
          ]}
          style={{ minWidth: 120 }}
          data-testid="household-sort"
        />
        {readsPairings && (
          <Space.Compact>
            <Select<string>
              aria-label={t("household.pairedFilter")}
              value={paired}
              onChange={(v) => search.set({ paired: v || null })}
              options={[
                { value: "", label: t("household.pairedAny") },
                { value: "yes", label: t("household.pairedYes", { year: filters.year ?? thisYear() }) },
                { value: "no", label: t("household.pairedNo", { year: filters.year ?? thisYear() }) },
              ]}
              style={{ minWidth: 140 }}
              data-testid="household-filter-paired"
            />
            {paired && (
              <InputNumber
                aria-label={t("household.year")}
                min={2011}
                max={thisYear() + 1}
                precision={0}
                value={filters.year}
                onChange={(v) => search.set({ year: v ? String(v) : null })}
                style={{ width: 90 }}
                data-testid="household-filter-year"
              />
            )}
          </Space.Compact>
        )}
      </div>
      {list.query.error && <Alert type="error" showIcon message={t("common.loadFailed")} description={list.query.error.message} />}
      {list.query.isPending ? (
        <Spin />
      ) : (
        <List<Household>
          dataSource={list.items}
          data-testid="household-list"
          locale={{ emptyText: <Empty description={<Typography.Text type="secondary">{t("household.none")}</Typography.Text>} /> }}
          grid={{ gutter: 8, xs: 1, sm: 2, lg: 3, xxl: 4 }}
          renderItem={(h) => (
            <List.Item key={h.id} style={{ marginBottom: 8 }}>
              <HouseholdCard household={h} />
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
        <Button
          // Not `loading` (antd dims it to 65 % opacity, below 4.5:1): disabled while a page loads.
          disabled={!list.hasNext || (list.query.isFetching && !list.query.isPending)}
          onClick={list.next}
          data-testid="page-next"
        >
          {t("common.next")}
        </Button>
      </Space>
    </>
  );
}
