import { Alert, Button, Space, Table, type TableProps } from "antd";
import type { SortOrder, SorterResult } from "antd/es/table/interface";
import { useTranslation } from "react-i18next";
import type { useCursorList } from "./useCursorList";

interface Props<T> extends Omit<TableProps<T>, "dataSource" | "pagination" | "onChange"> {
  list: ReturnType<typeof useCursorList<T>>;
  /** Current `sort` parameter (`name` / `-name`); clicking a sortable column changes it. */
  sort?: string | null;
  onSortChange?: (sort: string | null) => void;
}

/** A table over one page of a cursor-paginated list, with previous/next and server-side sorting. */
export function CursorTable<T extends object>({ list, sort, onSortChange, columns, ...rest }: Props<T>) {
  const { t } = useTranslation();
  const sortedColumns = columns?.map((column) => {
    const key = "dataIndex" in column && typeof column.dataIndex === "string" ? column.dataIndex : undefined;
    if (!column.sorter || !key) return column;
    const order: SortOrder = sort === key ? "ascend" : sort === `-${key}` ? "descend" : null;
    return { ...column, sorter: true, sortOrder: order, sortDirections: ["ascend", "descend"] as SortOrder[] };
  });
  return (
    <>
      {list.query.error && (
        <Alert type="error" showIcon message={t("common.loadFailed")} description={String(list.query.error.message)} />
      )}
      <Table<T>
        {...rest}
        size="middle"
        columns={sortedColumns}
        dataSource={list.items}
        loading={list.query.isFetching}
        pagination={false}
        scroll={{ x: "max-content" }}
        onChange={(_pagination, _filters, sorter) => {
          const s = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<T> | undefined;
          const field = typeof s?.field === "string" ? s.field : null;
          if (!onSortChange) return;
          if (!field || !s?.order) onSortChange(null);
          else onSortChange(s.order === "descend" ? `-${field}` : field);
        }}
      />
      <Space style={{ marginTop: 12 }}>
        <Button disabled={!list.hasPrev} onClick={list.prev} data-testid="page-prev">
          {t("common.prev")}
        </Button>
        <span data-testid="page-number">{list.page}</span>
        {list.total && (
          <span data-testid="list-total">
            {t(list.total.exact ? "common.total" : "common.totalMore", { count: list.total.count })}
          </span>
        )}
        <Button disabled={!list.hasNext} onClick={list.next} data-testid="page-next">
          {t("common.next")}
        </Button>
      </Space>
    </>
  );
}
