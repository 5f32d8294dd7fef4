import { Alert, Button, Space } from "antd";
import { useTranslation } from "react-i18next";
import { DataTable, type DataTableProps } from "./DataTable";
import type { useCursorList } from "./useCursorList";

interface Props<T> extends Omit<DataTableProps<T>, "dataSource" | "loading"> {
  list: ReturnType<typeof useCursorList<T>>;
}

/** A table over one page of a cursor-paginated list, with previous/next and server-side sorting. */
export function CursorTable<T>({ list, ...rest }: Props<T>) {
  const { t } = useTranslation();
  return (
    <>
      {list.query.error && (
        <Alert type="error" showIcon message={t("common.loadFailed")} description={String(list.query.error.message)} />
      )}
      <DataTable<T> {...rest} dataSource={list.items} loading={list.query.isFetching} />
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
