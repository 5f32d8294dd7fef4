import { Spin } from "antd";
import { Fragment, useLayoutEffect, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

/**
 * A column of a `DataTable`. `render` gets the cell's value (`record[dataIndex]`), the row and its
 * index; without it the value is shown as text. `sorter` names the list's `sort` key this column
 * orders by: its heading becomes a button that asks the server for another order (the table
 * itself never reorders rows).
 */
export interface Column<T> {
  key?: string;
  title: ReactNode;
  dataIndex?: Extract<keyof T, string>;
  // `never` lets each column type its value (`(a: boolean) => …`); the table passes whatever the
  // row holds under `dataIndex`, as antd's columns do.
  render?: (value: never, record: T, index: number) => ReactNode;
  sorter?: string;
  align?: "left" | "right" | "center";
}

export interface DataTableProps<T> {
  columns: Column<T>[];
  dataSource: readonly T[];
  rowKey: Extract<keyof T, string> | ((record: T) => string | number);
  loading?: boolean;
  size?: "small" | "middle";
  /** Shown above the table and naming it for screen readers. */
  caption?: ReactNode;
  /** Current order, `name` or `-name`; a sortable column's heading shows and changes it. */
  sort?: string | null;
  onSortChange?: (sort: string | null) => void;
  expandable?: { expandedRowRender: (record: T) => ReactNode; rowExpandable?: (record: T) => boolean };
  "data-testid"?: string;
}

type Render<T> = (value: unknown, record: T, index: number) => ReactNode;

const columnKey = <T,>(column: Column<T>, index: number) => column.key ?? column.dataIndex ?? String(index);
const alignment = <T,>(column: Column<T>) => (column.align ? { textAlign: column.align } : undefined);

function cell<T>(column: Column<T>, record: T, index: number): ReactNode {
  const value = column.dataIndex === undefined ? undefined : record[column.dataIndex];
  if (column.render) return (column.render as Render<T>)(value, record, index);
  return value == null ? null : String(value);
}

/**
 * Whether the element scrolls sideways (a wide table on a phone). Such a region is reachable from
 * the keyboard (WCAG 2.1.1; axe's scrollable-region-focusable), a table that fits is not one
 * more tab stop.
 */
function useScrollsSideways() {
  const ref = useRef<HTMLDivElement>(null);
  const [scrolls, setScrolls] = useState(false);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const check = () => setScrolls(element.scrollWidth > element.clientWidth + 1);
    check();
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(check);
    observer.observe(element);
    if (element.firstElementChild) observer.observe(element.firstElementChild);
    return () => observer.disconnect();
  }, []);
  return [ref, scrolls] as const;
}

/** Ascending, then descending, then the server's default again (as antd's sorter cycles). */
function nextSort(current: string | null | undefined, key: string): string | null {
  if (current === key) return `-${key}`;
  if (current === `-${key}`) return null;
  return key;
}

/**
 * A plain, accessible `<table>` styled like antd's, for the list pages and the dashboards: the
 * pages a phone on a weak link opens first. antd's `Table` brings its filter tree, selection,
 * pagination and the `Select` of the page-size changer (≈ 80 KB Brotli) that these pages never use.
 */
export function DataTable<T>({ columns, dataSource, rowKey, loading, size = "middle", caption, sort, onSortChange, expandable, ...rest }: DataTableProps<T>) {
  const { t } = useTranslation();
  const [expanded, setExpanded] = useState<ReadonlySet<string | number>>(() => new Set());
  const keyOf = (record: T) => (typeof rowKey === "function" ? rowKey(record) : (record[rowKey] as string | number));
  const toggle = (key: string | number) =>
    setExpanded((before) => {
      const after = new Set(before);
      if (!after.delete(key)) after.add(key);
      return after;
    });
  const span = columns.length + (expandable ? 1 : 0);
  const [scroller, scrolls] = useScrollsSideways();
  return (
    <Spin spinning={loading === true}>
      <div
        ref={scroller}
        className={`data-table data-table-${size}`}
        data-testid={rest["data-testid"]}
        {...(scrolls ? { tabIndex: 0, role: "region", "aria-label": typeof caption === "string" ? caption : t("common.wideTable") } : {})}
      >
        <table aria-busy={loading === true}>
          {caption && <caption>{caption}</caption>}
          <thead>
            <tr>
              {expandable && (
                <th scope="col" className="data-table-expand">
                  <span className="sr-only">{t("common.expandRow")}</span>
                </th>
              )}
              {columns.map((column, i) => {
                const by = onSortChange ? column.sorter : undefined;
                const order = by === undefined ? undefined : sort === by ? "ascending" : sort === `-${by}` ? "descending" : "none";
                return (
                  <th key={columnKey(column, i)} scope="col" aria-sort={order} style={alignment(column)}>
                    {by !== undefined && onSortChange ? (
                      <button type="button" className="data-table-sort" onClick={() => onSortChange(nextSort(sort, by))}>
                        {column.title}
                        <span aria-hidden className="data-table-sort-icons">
                          <span className={order === "ascending" ? "on" : undefined}>▲</span>
                          <span className={order === "descending" ? "on" : undefined}>▼</span>
                        </span>
                      </button>
                    ) : (
                      column.title
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {dataSource.length === 0 && (
              <tr>
                <td colSpan={span} className="data-table-empty">
                  {loading ? t("common.loading") : t("common.noData")}
                </td>
              </tr>
            )}
            {dataSource.map((record, index) => {
              const key = keyOf(record);
              const canExpand = expandable !== undefined && (expandable.rowExpandable?.(record) ?? true);
              const open = canExpand && expanded.has(key);
              return (
                <Fragment key={key}>
                  <tr className="data-table-row">
                    {expandable && (
                      <td className="data-table-expand">
                        {canExpand && (
                          <button
                            type="button"
                            className="data-table-expand-button"
                            aria-expanded={open}
                            aria-label={t(open ? "common.collapseRow" : "common.expandRow")}
                            onClick={() => toggle(key)}
                          >
                            {open ? "−" : "+"}
                          </button>
                        )}
                      </td>
                    )}
                    {columns.map((column, i) => (
                      <td key={columnKey(column, i)} style={alignment(column)}>
                        {cell(column, record, index)}
                      </td>
                    ))}
                  </tr>
                  {open && expandable && (
                    <tr className="data-table-expanded">
                      <td colSpan={span}>{expandable.expandedRowRender(record)}</td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
    </Spin>
  );
}
