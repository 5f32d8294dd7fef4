// 活动: the activities of the user's villages (the department's: all), newest first, as cards that
// fit a 360 px phone; filters kind / village / year / text in the URL; keyset paging.
import { PlusOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Empty, Input, List, Select, Space, Spin, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useAuth } from "../../auth/AuthContext";
import { useCanWrite } from "../../components/guards";
import { DownloadButtons } from "../../components/DownloadButton";
import { PageTitle } from "../../components/PageTitle";
import { VillageSelect } from "../../components/pickers";
import { isVillageUser } from "../../components/roles";
import { useCursorList } from "../../components/useCursorList";
import { useSearchState } from "../../components/useSearchState";
import { formatCount, formatYuan } from "../../lib/amounts";
import { formatDate } from "../../lib/datetime";
import { thisYear } from "../households/api";
import { ACTIVITY_PAGE_SIZE, activityFilters, activityKeys, fetchActivities, KINDS, type Activity } from "./api";

function ActivityCard({ activity: a, canWrite }: { activity: Activity; canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  const extra = [
    a.skill && t("activity.skillValue", { skill: a.skill }),
    a.people_seen != null && t("activity.seenValue", { count: a.people_seen }),
    a.partner_institution,
    a.destination && t("activity.destinationValue", { place: a.destination }),
  ].filter(Boolean);
  return (
    <Card size="small" style={{ width: "100%" }} data-testid="activity-card" data-activity-id={a.id}>
      <div style={{ display: "flex", flexWrap: "wrap", justifyContent: "space-between", gap: 4 }}>
        <Typography.Text strong style={{ overflowWrap: "anywhere" }} data-testid="activity-title">
          {a.title}
        </Typography.Text>
        {canWrite && (
          <Link to={`/activities/${a.id}/edit`} aria-label={t("activity.editNamed", { title: a.title })} data-testid="activity-edit">
            {t("common.edit")}
          </Link>
        )}
      </div>
      <div style={{ marginTop: 4 }}>
        <Tag className="tag-info" data-testid="activity-kind">
          {t(`activity.kinds.${a.kind}`, { defaultValue: a.kind })}
        </Tag>
        <Typography.Text type="secondary">
          {formatDate(a.date, i18n.language)} · {a.village_name}
        </Typography.Text>
      </div>
      <div style={{ marginTop: 2 }} data-testid="activity-figures">
        {t("activity.figures", { participants: formatCount(a.participants, i18n.language), beneficiaries: formatCount(a.beneficiaries, i18n.language) })}
        {a.value_fen > 0 && ` · ${t("activity.valueAmount", { amount: formatYuan(a.value_fen, i18n.language) })}`}
      </div>
      {extra.length > 0 && <div data-testid="activity-extra">{extra.join(" · ")}</div>}
      <Typography.Text type="secondary" style={{ display: "block", fontSize: 13 }}>
        {t("activity.organiserValue", { organiser: a.organiser })}
      </Typography.Text>
    </Card>
  );
}

export default function ActivityListPage() {
  const { t } = useTranslation();
  const { me, role } = useAuth();
  const canWrite = useCanWrite("activities");
  const search = useSearchState();
  const filters = activityFilters(search.get);
  const list = useCursorList<Activity>(activityKeys.list(filters), (cursor) => fetchActivities({ ...filters, cursor, limit: ACTIVITY_PAGE_SIZE }));
  const villageUser = isVillageUser(role);
  const myVillages = me?.villages ?? [];
  const years = Array.from({ length: thisYear() + 1 - 2011 }, (_, i) => thisYear() - i);
  return (
    <>
      <PageTitle
        extra={
          <Space wrap>
            <Link to={`/activities/summary${filters.year ? `?year=${filters.year}` : ""}`} data-testid="activity-summary-link">
              {t("activity.toSummary")}
            </Link>
            {canWrite && (
              <Link to="/activities/new" tabIndex={-1}>
                <Button type="primary" icon={<PlusOutlined />} data-testid="activity-new">
                  {t("activity.new")}
                </Button>
              </Link>
            )}
          </Space>
        }
      >
        {t("activity.list")}
      </PageTitle>
      <div className="page-toolbar" data-testid="list-downloads">
        <DownloadButtons path="/api/v1/activities" query={filters} baseName={t("activity.list")} />
      </div>
      <div className="page-toolbar">
        <Input.Search
          allowClear
          defaultValue={filters.q}
          placeholder={t("activity.searchPlaceholder")}
          aria-label={t("activity.searchPlaceholder")}
          onSearch={(q) => search.set({ q: q.trim().normalize("NFC") })}
          style={{ maxWidth: 280 }}
          data-testid="activity-search"
        />
        <Select<string>
          allowClear
          aria-label={t("activity.kind")}
          placeholder={t("activity.allKinds")}
          value={filters.kind}
          onChange={(v) => search.set({ kind: v ?? null })}
          options={KINDS.map((k) => ({ value: k, label: t(`activity.kinds.${k}`) }))}
          style={{ minWidth: 130 }}
          data-testid="activity-filter-kind"
        />
        {villageUser ? (
          myVillages.length > 1 && (
            <Select<number>
              allowClear
              aria-label={t("activity.village")}
              placeholder={t("activity.allVillages")}
              value={filters.village_id}
              onChange={(v) => search.set({ village: v ? String(v) : null })}
              options={myVillages.map((v) => ({ value: v.id, label: v.name }))}
              style={{ minWidth: 140 }}
              data-testid="activity-filter-village"
            />
          )
        ) : (
          <VillageSelect
            aria-label={t("activity.village")}
            placeholder={t("activity.allVillages")}
            value={filters.village_id}
            onChange={(v) => search.set({ village: v ? String(v) : null })}
            style={{ minWidth: 160 }}
            data-testid="activity-filter-village"
          />
        )}
        <Select<number>
          allowClear
          aria-label={t("activity.year")}
          placeholder={t("activity.allYears")}
          value={filters.year}
          onChange={(v) => search.set({ year: v ? String(v) : null })}
          options={years.map((y) => ({ value: y, label: t("project.yearOption", { year: y }) }))}
          style={{ minWidth: 110 }}
          data-testid="activity-filter-year"
        />
      </div>
      {list.query.error && <Alert type="error" showIcon message={t("common.loadFailed")} description={list.query.error.message} />}
      {list.query.isPending ? (
        <Spin />
      ) : (
        <List<Activity>
          dataSource={list.items}
          data-testid="activity-list"
          locale={{ emptyText: <Empty description={<Typography.Text type="secondary">{t("activity.none")}</Typography.Text>} /> }}
          grid={{ gutter: 8, xs: 1, sm: 1, md: 2, xl: 3 }}
          renderItem={(a) => (
            <List.Item key={a.id} style={{ marginBottom: 8 }}>
              <ActivityCard activity={a} canWrite={canWrite} />
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
