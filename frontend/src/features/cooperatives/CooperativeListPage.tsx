// 合作社: the cooperatives of the user's villages (the department's and the administrator's: all)
// as cards that fit a 360 px phone, filters village / kind / text in the URL, keyset paging.
import { PlusOutlined } from "@ant-design/icons";
import { Alert, Button, Empty, Input, List, Select, Space, Spin, Typography } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useAuth } from "../../auth/AuthContext";
import { useCanWrite } from "../../components/guards";
import { PageTitle } from "../../components/PageTitle";
import { VillageSelect } from "../../components/pickers";
import { isVillageUser } from "../../components/roles";
import { useCursorList } from "../../components/useCursorList";
import { useSearchState } from "../../components/useSearchState";
import { COOP_PAGE_SIZE, coopFilters, coopKeys, fetchCooperatives, KINDS, type Cooperative } from "./api";
import { CoopCard } from "./CoopParts";

export default function CooperativeListPage() {
  const { t } = useTranslation();
  const { me, role } = useAuth();
  const canWrite = useCanWrite("cooperatives");
  const search = useSearchState();
  const filters = coopFilters(search.get);
  // A cooperative's page is the next one opened: its chunk comes while the list is read.
  useEffect(() => {
    import("./CooperativeDetailPage").catch(() => undefined);
  }, []);
  const list = useCursorList<Cooperative>(coopKeys.list(filters), (cursor) => fetchCooperatives({ ...filters, cursor, limit: COOP_PAGE_SIZE }));
  const villageUser = isVillageUser(role);
  const myVillages = me?.villages ?? [];
  const newPath = filters.village_id
    ? `/villages/${filters.village_id}/cooperatives/new`
    : villageUser && myVillages.length === 1
      ? `/villages/${myVillages[0]?.id}/cooperatives/new`
      : "/cooperatives/new";
  return (
    <>
      <PageTitle
        extra={
          canWrite && (
            <Link to={newPath} tabIndex={-1}>
              <Button type="primary" icon={<PlusOutlined />} data-testid="coop-new">
                {t("coop.new")}
              </Button>
            </Link>
          )
        }
      >
        {t("coop.list")}
      </PageTitle>
      <div className="page-toolbar">
        <Input.Search
          allowClear
          defaultValue={filters.q}
          placeholder={t("coop.searchPlaceholder")}
          aria-label={t("coop.searchPlaceholder")}
          onSearch={(q) => search.set({ q: q.trim().normalize("NFC") })}
          style={{ maxWidth: 320 }}
          data-testid="coop-search"
        />
        {villageUser ? (
          myVillages.length > 1 && (
            <Select<number>
              allowClear
              aria-label={t("coop.village")}
              placeholder={t("coop.allVillages")}
              value={filters.village_id}
              onChange={(v) => search.set({ village: v ? String(v) : null })}
              options={myVillages.map((v) => ({ value: v.id, label: v.name }))}
              style={{ minWidth: 140 }}
              data-testid="coop-filter-village"
            />
          )
        ) : (
          <VillageSelect
            aria-label={t("coop.village")}
            placeholder={t("coop.allVillages")}
            value={filters.village_id}
            onChange={(v) => search.set({ village: v ? String(v) : null })}
            style={{ minWidth: 160 }}
            data-testid="coop-filter-village"
          />
        )}
        <Select<string>
          allowClear
          aria-label={t("coop.kind")}
          placeholder={t("coop.allKinds")}
          value={filters.kind}
          onChange={(v) => search.set({ kind: v ?? null })}
          options={KINDS.map((k) => ({ value: k, label: t(`coop.kinds.${k}`) }))}
          style={{ minWidth: 130 }}
          data-testid="coop-filter-kind"
        />
      </div>
      {list.query.error && <Alert type="error" showIcon message={t("common.loadFailed")} description={list.query.error.message} />}
      {list.query.isPending ? (
        <Spin />
      ) : (
        <List<Cooperative>
          dataSource={list.items}
          data-testid="coop-list"
          locale={{ emptyText: <Empty description={<Typography.Text type="secondary">{t("coop.none")}</Typography.Text>} /> }}
          grid={{ gutter: 8, xs: 1, sm: 1, md: 2, xl: 3 }}
          renderItem={(c) => (
            <List.Item key={c.id} style={{ marginBottom: 8 }}>
              <CoopCard coop={c} />
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
