// 资金台账: the entries of the user's villages (the department's: all) as cards that fit a 360 px
// phone, filters in the URL (village, project, kind, source, year, waiting for confirmation,
// text), the totals of the filter (received / spent / net, one totals call) and keyset paging.
// Each entry shows whether it was reversed or is a reversal, and whether the committee confirmed
// it; whoever may record its kind may reverse it (the reason is required).
import { PlusOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { Alert, Button, Card, Checkbox, Empty, Input, List, Select, Space, Spin, Statistic, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useAuth } from "../../auth/AuthContext";
import { DownloadButtons } from "../../components/DownloadButton";
import { PageTitle } from "../../components/PageTitle";
import { VillageSelect } from "../../components/pickers";
import { isVillageUser } from "../../components/roles";
import { useCursorList } from "../../components/useCursorList";
import { useSearchState } from "../../components/useSearchState";
import { formatYuan } from "../../lib/amounts";
import { thisYear } from "../households/api";
import { fetchProjects, projectKeys } from "../projects/api";
import { fetchLedger, fetchTotals, KINDS, kindsFor, LEDGER_PAGE_SIZE, ledgerFilters, ledgerKeys, mayReverse, net, SOURCES, totalsFor, type LedgerEntry } from "./api";
import { ConfirmButton, EntryCard, ReverseButton } from "./LedgerParts";

function Totals({ filters }: { filters: ReturnType<typeof ledgerFilters> }) {
  const { t, i18n } = useTranslation();
  const query = totalsFor(filters);
  const totals = useQuery({ queryKey: ledgerKeys.totals(query), queryFn: () => fetchTotals(query) });
  const sums = totals.data?.total;
  const yuan = (fen: number | undefined) => (fen === undefined ? "—" : formatYuan(fen, i18n.language));
  return (
    <Card size="small" style={{ marginBottom: 12 }} data-testid="ledger-totals" aria-busy={totals.isFetching}>
      {totals.error && <Alert type="error" showIcon message={t("common.loadFailed")} description={totals.error.message} />}
      <Space wrap size={[32, 8]}>
        <Statistic valueStyle={{ fontSize: 18 }} title={t("ledger.received")} value={yuan(sums?.received_fen)} suffix={t("ledger.yuan")} data-testid="totals-received" />
        <Statistic valueStyle={{ fontSize: 18 }} title={t("ledger.spent")} value={yuan(sums?.spent_fen)} suffix={t("ledger.yuan")} data-testid="totals-spent" />
        <Statistic valueStyle={{ fontSize: 18 }} title={t("ledger.net")} value={yuan(sums ? net(sums) : undefined)} suffix={t("ledger.yuan")} data-testid="totals-net" />
        <Statistic valueStyle={{ fontSize: 18 }} title={t("ledger.entries")} value={sums?.entries ?? "—"} data-testid="totals-entries" />
      </Space>
    </Card>
  );
}

/** The projects of the chosen village, for the project filter. */
function ProjectFilter({ villageId, value, onChange }: { villageId: number | undefined; value: number | undefined; onChange: (v: number | undefined) => void }) {
  const { t } = useTranslation();
  const query = { village_id: villageId, limit: 500, sort: "title" };
  const projects = useQuery({ queryKey: projectKeys.list(query), queryFn: () => fetchProjects(query), enabled: villageId !== undefined });
  return (
    <Select<number>
      allowClear
      showSearch
      optionFilterProp="label"
      aria-label={t("ledger.project")}
      placeholder={villageId === undefined ? t("ledger.projectAfterVillage") : t("ledger.allProjects")}
      disabled={villageId === undefined && value === undefined}
      value={value}
      onChange={(v) => onChange(v ?? undefined)}
      loading={projects.isFetching}
      options={(projects.data?.items ?? []).map((p) => ({ value: p.id, label: p.title }))}
      style={{ minWidth: 180, maxWidth: "100%" }}
      data-testid="ledger-filter-project"
    />
  );
}

export default function LedgerListPage() {
  const { t } = useTranslation();
  const { me, role } = useAuth();
  const search = useSearchState();
  const filters = ledgerFilters(search.get);
  const list = useCursorList<LedgerEntry>(ledgerKeys.list(filters), (cursor) => fetchLedger({ ...filters, cursor, limit: LEDGER_PAGE_SIZE }));
  const villageUser = isVillageUser(role);
  const myVillages = me?.villages ?? [];
  const records = kindsFor(role).length > 0;
  const newPath = `/ledger/new${filters.village_id ? `?village=${filters.village_id}${filters.project_id ? `&project=${filters.project_id}` : ""}` : ""}`;
  const years = Array.from({ length: thisYear() + 1 - 2011 }, (_, i) => thisYear() - i);
  return (
    <>
      <PageTitle
        extra={
          records && (
            <Link to={newPath} tabIndex={-1}>
              <Button type="primary" icon={<PlusOutlined />} data-testid="ledger-new">
                {t("ledger.new")}
              </Button>
            </Link>
          )
        }
      >
        {t("ledger.list")}
      </PageTitle>
      <div className="page-toolbar">
        <Input.Search
          allowClear
          defaultValue={filters.q}
          placeholder={t("ledger.searchPlaceholder")}
          aria-label={t("ledger.searchPlaceholder")}
          onSearch={(q) => search.set({ q: q.trim().normalize("NFC") })}
          style={{ maxWidth: 280 }}
          data-testid="ledger-search"
        />
        {villageUser ? (
          myVillages.length > 1 && (
            <Select<number>
              allowClear
              aria-label={t("ledger.village")}
              placeholder={t("ledger.allVillages")}
              value={filters.village_id}
              onChange={(v) => search.set({ village: v ? String(v) : null, project: null })}
              options={myVillages.map((v) => ({ value: v.id, label: v.name }))}
              style={{ minWidth: 140 }}
              data-testid="ledger-filter-village"
            />
          )
        ) : (
          <VillageSelect
            aria-label={t("ledger.village")}
            placeholder={t("ledger.allVillages")}
            value={filters.village_id}
            onChange={(v) => search.set({ village: v ? String(v) : null, project: null })}
            style={{ minWidth: 160 }}
            data-testid="ledger-filter-village"
          />
        )}
        <ProjectFilter
          villageId={filters.village_id ?? (villageUser && myVillages.length === 1 ? myVillages[0]?.id : undefined)}
          value={filters.project_id}
          onChange={(v) => search.set({ project: v ? String(v) : null })}
        />
        <Select<string>
          allowClear
          aria-label={t("ledger.kind")}
          placeholder={t("ledger.allKinds")}
          value={filters.kind}
          onChange={(v) => search.set({ kind: v ?? null })}
          options={KINDS.map((k) => ({ value: k, label: t(`ledger.kinds.${k}`) }))}
          style={{ minWidth: 120 }}
          data-testid="ledger-filter-kind"
        />
        <Select<string>
          allowClear
          aria-label={t("ledger.source")}
          placeholder={t("ledger.allSources")}
          value={filters.source}
          onChange={(v) => search.set({ source: v ?? null })}
          options={SOURCES.map((s) => ({ value: s, label: t(`ledger.sources.${s}`) }))}
          style={{ minWidth: 130 }}
          data-testid="ledger-filter-source"
        />
        <Select<number>
          allowClear
          aria-label={t("ledger.year")}
          placeholder={t("ledger.allYears")}
          value={filters.year}
          onChange={(v) => search.set({ year: v ? String(v) : null })}
          options={years.map((y) => ({ value: y, label: t("project.yearOption", { year: y }) }))}
          style={{ minWidth: 110 }}
          data-testid="ledger-filter-year"
        />
        <Checkbox checked={filters.unconfirmed === true} onChange={(e) => search.set({ unconfirmed: e.target.checked ? "1" : null })} data-testid="ledger-filter-unconfirmed">
          {t("ledger.onlyUnconfirmed")}
        </Checkbox>
      </div>
      <Totals filters={filters} />
      <div className="page-toolbar" data-testid="ledger-downloads">
        <DownloadButtons path="/api/v1/ledger" query={filters} baseName={t("ledger.list")} />
      </div>
      {list.query.error && <Alert type="error" showIcon message={t("common.loadFailed")} description={list.query.error.message} />}
      {list.query.isPending ? (
        <Spin />
      ) : (
        <List<LedgerEntry>
          dataSource={list.items}
          data-testid="ledger-list"
          locale={{ emptyText: <Empty description={<Typography.Text type="secondary">{t("ledger.none")}</Typography.Text>} /> }}
          grid={{ gutter: 8, xs: 1, sm: 1, md: 2, xl: 3 }}
          renderItem={(e) => (
            <List.Item key={e.id} style={{ marginBottom: 8 }}>
              <EntryCard
                entry={e}
                actions={
                  mayReverse(role, e) ? <ReverseButton entry={e} /> : role === "village_committee" && e.confirmable ? <ConfirmButton entry={e} /> : undefined
                }
              />
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
