// 群众诉求 of one village (`/needs?village=`): the queue — the overdue needs first, then the other
// open and in-progress ones, the oldest first — as cards that fit a 360 px phone, with the status
// changes and 登记诉求 for those who may. Team and committee users of one village land on theirs;
// others choose the village. Answered needs are in the overview (`/needs/overview`).
import { PlusOutlined } from "@ant-design/icons";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { Alert, Button, Empty, List, Select, Space, Spin, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useAuth } from "../../auth/AuthContext";
import { useCanWrite } from "../../components/guards";
import { DownloadButtons } from "../../components/DownloadButton";
import { PageTitle } from "../../components/PageTitle";
import { VillageSelect } from "../../components/pickers";
import { isVillageUser } from "../../components/roles";
import { useSearchState } from "../../components/useSearchState";
import { fetchNeeds, isOpen, NEED_PAGE_SIZE, needKeys, OVERDUE_LIMIT, queueOrder, type NeedQuery } from "./api";
import { NeedCard } from "./NeedParts";

const num = (v: string | undefined) => (v && /^\d+$/.test(v) ? Number(v) : undefined);

export default function NeedQueuePage() {
  const { t } = useTranslation();
  const { me, role } = useAuth();
  const canWrite = useCanWrite("needs");
  const search = useSearchState();
  const villageUser = isVillageUser(role);
  const myVillages = me?.villages ?? [];
  const villageId = num(search.get("village")) ?? (villageUser ? myVillages[0]?.id : undefined);
  const overdueQuery: NeedQuery = { village_id: villageId, overdue: true, sort: "queue", limit: OVERDUE_LIMIT };
  const overdue = useQuery({ queryKey: needKeys.list(overdueQuery), queryFn: () => fetchNeeds(overdueQuery), enabled: villageId !== undefined });
  const queueQuery: NeedQuery = { village_id: villageId, sort: "queue", limit: NEED_PAGE_SIZE };
  const queue = useInfiniteQuery({
    queryKey: [...needKeys.list(queueQuery), "pages"],
    queryFn: ({ pageParam }) => fetchNeeds({ ...queueQuery, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    // The queue ends where the answered needs begin (they follow the open ones in `queue` order).
    getNextPageParam: (last) => (last.next_cursor && last.items.length > 0 && isOpen(last.items[last.items.length - 1]!.status) ? last.next_cursor : undefined),
    enabled: villageId !== undefined,
  });
  const items = queueOrder(overdue.data?.items ?? [], queue.data?.pages.flatMap((p) => p.items) ?? []);
  const overdueCount = items.filter((n) => n.overdue).length;
  const villageName = myVillages.find((v) => v.id === villageId)?.name ?? items[0]?.village_name;
  const error = overdue.error ?? queue.error;
  const newPath = `/needs/new${villageId !== undefined ? `?village=${villageId}` : ""}`;
  return (
    <>
      <PageTitle
        extra={
          canWrite && (
            <Link to={newPath} tabIndex={-1}>
              <Button type="primary" icon={<PlusOutlined />} data-testid="need-new">
                {t("need.new")}
              </Button>
            </Link>
          )
        }
      >
        {villageName ? t("need.queueOf", { village: villageName }) : t("need.queue")}
      </PageTitle>
      <div className="page-toolbar" data-testid="list-downloads">
        <DownloadButtons path="/api/v1/needs" query={{ village_id: villageId, sort: "queue" }} baseName={t("need.queue")} />
      </div>
      <div className="page-toolbar">
        {villageUser ? (
          myVillages.length > 1 && (
            <Select<number>
              aria-label={t("need.village")}
              value={villageId}
              onChange={(v) => search.set({ village: String(v) })}
              options={myVillages.map((v) => ({ value: v.id, label: v.name }))}
              style={{ minWidth: 140 }}
              data-testid="need-filter-village"
            />
          )
        ) : (
          <VillageSelect
            aria-label={t("need.village")}
            placeholder={t("need.chooseVillage")}
            value={villageId}
            onChange={(v) => search.set({ village: v ? String(v) : null })}
            style={{ minWidth: 160 }}
            data-testid="need-filter-village"
          />
        )}
        <Link to={`/needs/overview${villageId !== undefined ? `?village=${villageId}` : ""}`} data-testid="need-overview-link">
          {t("need.toOverview")}
        </Link>
      </div>
      {villageId === undefined ? (
        <Empty description={<Typography.Text type="secondary">{t("need.chooseVillageHint")}</Typography.Text>} />
      ) : (
        <>
          {error && <Alert type="error" showIcon message={t("common.loadFailed")} description={error.message} />}
          {overdue.isPending || queue.isPending ? (
            <Spin />
          ) : (
            <>
              <Typography.Paragraph data-testid="need-queue-summary">
                {t("need.queueSummary", { count: items.length, overdue: overdueCount })}
              </Typography.Paragraph>
              <List
                dataSource={items}
                data-testid="need-queue"
                locale={{ emptyText: <Empty description={<Typography.Text type="secondary">{t("need.queueEmpty")}</Typography.Text>} /> }}
                grid={{ gutter: 8, xs: 1, sm: 1, md: 2, xl: 3 }}
                renderItem={(n) => (
                  <List.Item key={n.id} style={{ marginBottom: 8 }}>
                    <NeedCard need={n} canWrite={canWrite} />
                  </List.Item>
                )}
              />
              {queue.hasNextPage && (
                <Space style={{ marginTop: 4 }}>
                  <Button loading={queue.isFetchingNextPage} onClick={() => void queue.fetchNextPage()} data-testid="need-queue-more">
                    {t("need.more")}
                  </Button>
                </Space>
              )}
            </>
          )}
        </>
      )}
    </>
  );
}
