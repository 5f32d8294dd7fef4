import { fireEvent, render, screen, within } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import "../i18n";
import { DataTable, type Column } from "./DataTable";

interface Row {
  id: number;
  name: string;
  active: boolean;
  note: string | null;
}

const ROWS: Row[] = [
  { id: 1, name: "马格达村", active: true, note: "ཤིས་སྒང" },
  { id: 2, name: "下地村", active: false, note: null },
];

const COLUMNS: Column<Row>[] = [
  { title: "村名", dataIndex: "name", sorter: "name" },
  { title: "状态", dataIndex: "active", render: (a: boolean) => (a ? "有效" : "已停用") },
  { title: "备注", dataIndex: "note" },
  { key: "index", title: "序号", render: (_: unknown, row, index) => `${index + 1}/${row.id}` },
];

function Sorted({ initial, seen }: { initial: string | null; seen: (string | null)[] }) {
  const [sort, setSort] = useState<string | null>(initial);
  return (
    <DataTable<Row>
      rowKey="id"
      columns={COLUMNS}
      dataSource={ROWS}
      sort={sort}
      onSortChange={(next) => {
        seen.push(next);
        setSort(next);
      }}
    />
  );
}

describe("DataTable", () => {
  it("shows each cell from its value or its render, one row per record", () => {
    render(<DataTable<Row> rowKey="id" columns={COLUMNS} dataSource={ROWS} data-testid="t" />);
    const rows = within(screen.getByTestId("t")).getAllByRole("row");
    expect(rows).toHaveLength(3);
    const [head, first, second] = rows as [HTMLElement, HTMLElement, HTMLElement];
    expect(within(head).getAllByRole("columnheader").map((th) => th.textContent)).toEqual(["村名", "状态", "备注", "序号"]);
    expect(within(first).getAllByRole("cell").map((td) => td.textContent)).toEqual(["马格达村", "有效", "ཤིས་སྒང", "1/1"]);
    expect(within(second).getAllByRole("cell").map((td) => td.textContent)).toEqual(["下地村", "已停用", "", "2/2"]);
  });

  it("cycles a sortable heading through ascending, descending and the default, and says which", () => {
    const seen: (string | null)[] = [];
    render(<Sorted initial={null} seen={seen} />);
    const heading = () => screen.getByRole("columnheader", { name: /村名/ });
    expect(heading().getAttribute("aria-sort")).toBe("none");
    // Only the column with a sort key is a button; the others are plain headings.
    expect(screen.getAllByRole("button")).toHaveLength(1);
    expect(screen.getByRole("columnheader", { name: "状态" }).getAttribute("aria-sort")).toBeNull();
    fireEvent.click(within(heading()).getByRole("button"));
    expect(heading().getAttribute("aria-sort")).toBe("ascending");
    fireEvent.click(within(heading()).getByRole("button"));
    expect(heading().getAttribute("aria-sort")).toBe("descending");
    fireEvent.click(within(heading()).getByRole("button"));
    expect(heading().getAttribute("aria-sort")).toBe("none");
    expect(seen).toEqual(["name", "-name", null]);
  });

  it("starts from the order it is given", () => {
    const seen: (string | null)[] = [];
    render(<Sorted initial="-name" seen={seen} />);
    expect(screen.getByRole("columnheader", { name: /村名/ }).getAttribute("aria-sort")).toBe("descending");
    fireEvent.click(screen.getByRole("button", { name: /村名/ }));
    expect(seen).toEqual([null]);
  });

  it("has no sort buttons when nobody listens for the order", () => {
    render(<DataTable<Row> rowKey="id" columns={COLUMNS} dataSource={ROWS} sort="name" />);
    expect(screen.queryAllByRole("button")).toHaveLength(0);
    expect(screen.getByRole("columnheader", { name: "村名" }).getAttribute("aria-sort")).toBeNull();
  });

  it("says in Chinese that there is nothing, or that it is still loading", () => {
    const { rerender } = render(<DataTable<Row> rowKey="id" columns={COLUMNS} dataSource={[]} />);
    expect(screen.getByText("暂无数据")).toBeTruthy();
    rerender(<DataTable<Row> rowKey="id" columns={COLUMNS} dataSource={[]} loading />);
    expect(screen.queryByText("暂无数据")).toBeNull();
    expect(screen.getByRole("table").getAttribute("aria-busy")).toBe("true");
  });

  it("expands only the rows that can be, one at a time, with a named toggle", () => {
    render(
      <DataTable<Row>
        rowKey="id"
        columns={COLUMNS}
        dataSource={ROWS}
        expandable={{ expandedRowRender: (row) => <p>详情 {row.name}</p>, rowExpandable: (row) => row.active }}
      />,
    );
    // getByRole: exactly one toggle (下地村 cannot be expanded).
    const toggle = screen.getByRole("button", { name: "展开" });
    expect(toggle.closest("tr")?.textContent).toContain("马格达村");
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    expect(screen.queryByText("详情 马格达村")).toBeNull();
    fireEvent.click(toggle);
    expect(screen.getByText("详情 马格达村")).toBeTruthy();
    const close = screen.getByRole("button", { name: "收起" });
    expect(close.getAttribute("aria-expanded")).toBe("true");
    fireEvent.click(close);
    expect(screen.queryByText("详情 马格达村")).toBeNull();
  });
});
